using Orleans.TestingHost;
using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>In-process Orleans test clusters configured as VideoNas silos, with file grain state.</summary>
public static class TestClusters
{
    public static async Task<InProcessTestCluster> StartAsync(int silos, string stateDirectory)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) => silo.AddVideoNasFileStorage(stateDirectory).AddVideoNasDefaults());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
