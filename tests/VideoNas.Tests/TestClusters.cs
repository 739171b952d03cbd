using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>In-process Orleans test clusters configured as VideoNas silos, with file grain state.</summary>
public static class TestClusters
{
    /// <param name="cpuSlots">Devices each silo offers: with 2 or more, a trial can place several shards on one silo.</param>
    /// <param name="paths">The silos' dataset and output roots; none by default.</param>
    /// <param name="keeperInterval">How often the silos wake unfinished trials; the default otherwise.</param>
    /// <param name="recovery">Other recovery and queue settings.</param>
    public static async Task<InProcessTestCluster> StartAsync(int silos, string stateDirectory, int cpuSlots = 1, PathOptions? paths = null,
        TimeSpan? keeperInterval = null, Action<RecoveryOptions>? recovery = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddVideoNasFileStorage(stateDirectory).AddVideoNasDefaults();
            silo.Services.Configure<DeviceOptions>(o => o.CpuSlots = cpuSlots);
            if (paths is not null) silo.Services.Configure<PathOptions>(o => (o.DataRoots, o.OutputRoot) = (paths.DataRoots, paths.OutputRoot));
            if (keeperInterval is { } every) silo.Services.Configure<RecoveryOptions>(o => o.KeeperInterval = every);
            if (recovery is not null) silo.Services.Configure(recovery);
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
