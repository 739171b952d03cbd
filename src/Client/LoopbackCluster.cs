using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orleans.Runtime;

namespace VideoNas.Client;

/// <summary>
/// A real cluster on loopback: a redis-server and silo processes (videonas-silo in cluster mode, from
/// beside this assembly), started here and killed on dispose. Each has its own Redis port and cluster
/// id. Redis keeps an append-only file synced on every write, so it can be killed and restarted without
/// losing the cluster. Used by the cluster benchmark and by the tests' fixture.
/// </summary>
public class LoopbackCluster : IDisposable
{
    private readonly string[] _siloArgs;
    private readonly int _redisPort;
    private Process _redis;
    private readonly List<Process> _silos = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("videonas-cluster-").FullName;
    private readonly List<OutputTail> _tails = [];

    public string Redis { get; }
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>The options every CLI call needs to find this cluster.</summary>
    public string[] ClientArgs => ["--redis", Redis, "--cluster-id", ClusterId];

    /// <param name="siloArgs">Extra configuration for every silo, as command-line options.</param>
    public LoopbackCluster(params string[] siloArgs)
    {
        _siloArgs = siloArgs;
        _redisPort = Core.LoopbackPort.Free();
        Redis = $"127.0.0.1:{_redisPort}";
        _redis = StartRedis();
    }

    private Process StartRedis()
    {
        var redis = Start("redis-server", "redis-server", ["--port", $"{_redisPort}", "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", _dir]);
        WaitForPort(_redisPort, redis, "redis-server");
        return redis;
    }

    /// <summary>Kills redis-server (SIGKILL), leaves it down for <paramref name="downtime"/>, and starts it again on the same port and data.</summary>
    public void RestartRedis(TimeSpan downtime)
    {
        _redis.Kill();
        _redis.WaitForExit();
        _redis.Dispose();
        Thread.Sleep(downtime);
        _redis = StartRedis();
    }

    /// <summary>Starts one more silo and waits until its gateway accepts connections.</summary>
    public SiloProcess StartSilo(params string[] moreArgs)
    {
        int siloPort = Core.LoopbackPort.Free(), gatewayPort = Core.LoopbackPort.Free();
        var silo = Start($"silo {_silos.Count + 1}", "dotnet", [Path.Combine(AppContext.BaseDirectory, "videonas-silo.dll"),
            "--VideoNas:Redis", Redis, "--VideoNas:ClusterId", ClusterId,
            "--VideoNas:SiloPort", $"{siloPort}", "--VideoNas:GatewayPort", $"{gatewayPort}", "--Logging:LogLevel:Default", "Warning",
            .. _siloArgs, .. moreArgs]);
        _silos.Add(silo);
        WaitForPort(gatewayPort, silo, "videonas-silo");
        return new SiloProcess(silo, siloPort);
    }

    /// <summary>
    /// An Orleans client of this cluster, found through Redis as the CLI finds it, once every silo started
    /// so far is an active member: a silo's gateway can listen before the others have admitted it.
    /// </summary>
    public async Task<ClusterConnection> ConnectAsync()
    {
        // Its gateway already listens (WaitForPort); a loaded machine may still take a while to admit the client.
        var connection = await ClusterConnection.OpenAsync(new ClusterConnection.Address(Redis, "", ClusterId) { Timeout = TimeSpan.FromSeconds(120), Announce = false });
        int expected = _silos.Count(p => !p.HasExited);
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await management.GetHosts(onlyActive: true)).Count < expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fewer than {expected} silos became active within 60 s");
            await Task.Delay(200);
        }
        return connection;
    }

    /// <summary>The last lines each process started here wrote, for a failed test's output.</summary>
    public string OutputTails()
    {
        lock (_tails) return string.Join("\n", _tails.Select(t => t.ToString()));
    }

    private Process Start(string name, string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"could not run {file} ({e.Message}); install it (Debian: apt-get install redis-server)");
        }
        // Drain the pipes so a chatty process never blocks on a full one; keep the tail for diagnosis.
        var tail = new OutputTail($"{name} (pid {p.Id})");
        lock (_tails) _tails.Add(tail);
        p.OutputDataReceived += (_, e) => tail.Add(e.Data);
        p.ErrorDataReceived += (_, e) => tail.Add(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void WaitForPort(int port, Process owner, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (owner.HasExited) throw new InvalidOperationException($"{what} exited with {owner.ExitCode} before listening on {port}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException($"{what} did not listen on port {port} within 60 s");
    }


    /// <summary>A silo process and its silo port, which its Orleans address ("127.0.0.1:port@generation") contains.</summary>
    public sealed record SiloProcess(Process Process, int SiloPort)
    {
        public bool Is(string siloAddress) => siloAddress.StartsWith($"127.0.0.1:{SiloPort}@", StringComparison.Ordinal);

        /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
        public void Kill()
        {
            Process.Kill();
            Process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var p in _silos.Append(_redis))
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
