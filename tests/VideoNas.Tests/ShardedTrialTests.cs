using Orleans.TestingHost;
using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>A trial on two shards in a two-silo test cluster, against the same trial on one shard.</summary>
public class ShardedTrialTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    // Per-sample normalisation makes two shards of 2 clips compute what one shard of 4 does. Buckets of
    // 1 KiB: each layer's w gradients are reduced while backward computes the layers below.
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 4,
        Epochs = 2,
        ArchLr = 0.05,
        Seed = 11,
        Normalization = SearchConfig.PerSampleNormalization,
        ReplicaCheckEvery = 1,
        ReduceBucketMb = 0.001,
    };

    [Theory]
    [InlineData(TrialSpec.TcpDataPlane)]
    [InlineData(TrialSpec.OrleansDataPlane)]
    public async Task TwoShardsOnTwoSilosFindWhatOneShardFinds(string dataPlane)
    {
        using var stateFolder = new TempFolder("videonas-sharded-");
        string state = stateFolder.Path;
        await using var cluster = await TestClusters.StartAsync(2, state);

        var sharded = await RunToEnd(cluster, "sharded", 2, Path.Combine(state, "sharded"), dataPlane);
        var single = await RunToEnd(cluster, "single", 1, Path.Combine(state, "single"));

        Assert.Equal(2, sharded.Shards.Select(s => s.Silo).Distinct().Count());
        Assert.All(sharded.Shards, s => Assert.StartsWith(dataPlane == TrialSpec.TcpDataPlane ? "tcp 127.0.0.1:" : "orleans", s.DataPlane));
        AssertSameSearch(single, sharded, Path.Combine(state, "single"), Path.Combine(state, "sharded"));

        // Every step after the first is timed; one shard never reduces, two reduce every gradient once per call.
        Assert.Equal(single.TotalSteps - 1, single.Timing!.Steps);
        Assert.Equal((0.0, 0.0, 0L, 0.0), (single.Timing.ReduceSeconds, single.Timing.WaitSeconds, single.Timing.BytesPerStep, single.Timing.OverlappedSeconds));
        Assert.True(sharded.Timing!.ComputeSeconds > 0 && sharded.Timing.ReduceSeconds > 0 && sharded.Timing.StepSeconds > sharded.Timing.ComputeSeconds);
        Assert.True(sharded.Timing.OverlappedSeconds > 0, "no w gradient bucket was reduced while backward ran");
        Assert.True(sharded.Timing.BytesPerStep > 2 * 4 * 1000, $"{sharded.Timing.BytesPerStep} bytes per step"); // α and w steps, thousands of floats each

        // The devices went back to their registries when the trials ended.
        foreach (var silo in sharded.Shards.Select(s => s.Silo))
        {
            var slots = await cluster.Client.GetGrain<IDeviceRegistryGrain>(BoundKey.Of("devices", silo)).List();
            Assert.All(slots, s => Assert.Null(s.Holder));
        }
    }

    [Fact]
    public async Task FourShardsOnTwoSilosReduceInMemoryFirstAndFindWhatOneShardFinds()
    {
        using var stateFolder = new TempFolder("videonas-sharded-");
        string state = stateFolder.Path;
        await using var cluster = await TestClusters.StartAsync(2, state, cpuSlots: 2);

        var sharded = await RunToEnd(cluster, "four", 4, Path.Combine(state, "four"));
        var single = await RunToEnd(cluster, "one", 1, Path.Combine(state, "one"));

        Assert.True(sharded.State == TrialState.Completed, sharded.Error);
        Assert.Equal(2, sharded.Shards.Select(s => s.Silo).Distinct().Count());
        // One shard per silo carries its silo's sum over TCP; its neighbour on the silo hands it over in memory.
        Assert.Equal(2, sharded.Shards.Count(s => s.DataPlane.StartsWith("tcp 127.0.0.1:", StringComparison.Ordinal) && s.DataPlane.EndsWith("for its silo's 2 shards", StringComparison.Ordinal)));
        Assert.Equal(2, sharded.Shards.Count(s => s.DataPlane.StartsWith("memory, through shard ", StringComparison.Ordinal)));
        AssertSameSearch(single, sharded, Path.Combine(state, "one"), Path.Combine(state, "four"));
    }

    private static void AssertSameSearch(TrialStatus single, TrialStatus sharded, string singleDir, string shardedDir)
    {
        Assert.Equal(single.TotalSteps, sharded.TotalSteps);
        Assert.Equal(single.GenotypeJson, sharded.GenotypeJson);
        var a = SearchFiles.ReadAlphas(Path.Combine(shardedDir, SearchFiles.AlphasFileName));
        var b = SearchFiles.ReadAlphas(Path.Combine(singleDir, SearchFiles.AlphasFileName));
        double difference = a.Normal.Concat(a.Reduce).SelectMany(r => r).Zip(b.Normal.Concat(b.Reduce).SelectMany(r => r)).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(difference < 1e-4, $"α of {sharded.Shards.Count} shards and of 1 shard differ by {difference:E3}");
        Assert.Equal(single.Train!.Loss, sharded.Train!.Loss, 4);
    }

    [Fact]
    public async Task ATrialAskingForMoreDevicesThanTheClusterHasFailsSayingSo()
    {
        using var stateFolder = new TempFolder("videonas-sharded-");
        string state = stateFolder.Path;
        await using var cluster = await TestClusters.StartAsync(1, state, recovery: o => o.CapacityWait = TimeSpan.FromSeconds(3));
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("too-big");
        await trial.Submit(new TrialSpec(Tiny.ToJson(), data.Root, 1, Path.Combine(state, "too-big"), Shards: 2));
        // It waits for the cluster to grow, saying so, before it gives up.
        var waiting = await TrialWait.Until(trial, s => s.Notice is not null, "the wait", TimeSpan.FromSeconds(30));
        Assert.Equal(TrialState.Pending, waiting.State);
        Assert.Contains("waiting for 2 device(s): 1 free of 1 on 1 silo(s)", waiting.Notice);
        var status = await TrialWait.End(trial, TimeSpan.FromMinutes(1));
        Assert.Equal(TrialState.Failed, status.State);
        Assert.Contains("the trial needs 2 devices but the whole cluster has 1 (on 1 silo(s)), and no silo joined within 00:00:03", status.Error);
    }

    private async Task<TrialStatus> RunToEnd(InProcessTestCluster cluster, string id, int shards, string output, string dataPlane = TrialSpec.TcpDataPlane)
    {
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>(id);
        await trial.Submit(new TrialSpec(Tiny.ToJson(), data.Root, 1, output, shards, dataPlane));
        return await TrialWait.End(trial, TimeSpan.FromMinutes(4));
    }
}
