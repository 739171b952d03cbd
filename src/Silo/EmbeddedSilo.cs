using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoNas.Grains;

namespace VideoNas.Silo;

/// <summary>
/// The embedded default: one silo in this process, localhost clustering on free ports, grain state
/// in a local directory. No external server is needed.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly StateFolderLock _lock;

    public IGrainFactory Grains { get; }
    public string StateDirectory { get; }

    private EmbeddedSilo(IHost host, StateFolderLock folderLock, string stateDirectory)
    {
        _host = host;
        _lock = folderLock;
        StateDirectory = stateDirectory;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    /// <param name="cpuSlots">Shards the silo runs at once (an experiment's parallel trials × shards per trial).</param>
    public static async Task<EmbeddedSilo> StartAsync(string stateDirectory, LogLevel logLevel = LogLevel.Warning, int cpuSlots = 1)
    {
        var folderLock = StateFolderLock.Acquire(stateDirectory);
        try
        {
            // libtorch and its kernel route before the silo answers calls: on a new CPU or libtorch build the route's
            // self-check takes minutes, and inside the first grain that touched a tensor it held the Submit call past
            // its 30 s timeout (the demo died of a TimeoutException).
            Nas.TorchRuntime.Initialize();
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(logLevel);
            // The embedded silo shares the machine's cores with libtorch's threads, so its timers fire late and its turns
            // wait for a core: warnings about the machine's load that a CLI user cannot act on (24 in one demo). The
            // watchdog's first check also reports the time since boot as a stall. A cluster's silo keeps all three.
            foreach (var category in (string[])["Orleans.Runtime.Watchdog", "Orleans.Runtime.GrainTimer", "Orleans.Runtime.Scheduler.WorkItemGroup"])
                builder.Logging.AddFilter(category, LogLevel.Error);
            // The silo shares the CLI's process: its log lines go to stderr, so what a command prints (status --json) stays parsable.
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(Core.LoopbackPort.Free(), Core.LoopbackPort.Free())
                .AddVideoNasFileStorage(stateDirectory)
                .AddVideoNasDefaults()
                .Configure<DeviceOptions>(o => o.CpuSlots = cpuSlots));
            var host = builder.Build();
            await host.StartAsync();
            return new EmbeddedSilo(host, folderLock, stateDirectory);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _lock.Dispose();
    }
}
