using VideoNas.Core.DataPlane;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>Replicas linked by a real TCP ring, each on its own thread, against one search on the whole batch.</summary>
public class DataParallelSearchTests
{
    private static readonly SearchConfig Tiny = new()
    {
        Primitives = ["none", "skip_connect", "max_pool_1x3x3", "conv_3x1x1", "p3d_a_3", "p3d_b_3"],
        InitChannels = 4, Layers = 3, Steps = 2, StemMultiplier = 1, Segments = 2, FramesPerSegment = 2, Resolution = 12,
        BatchSize = 4, Epochs = 2, Seed = 5, Normalization = SearchConfig.PerSampleNormalization,
    };

    /// <param name="bucketMb">0: one all-reduce after backward; 0.001: a bucket per backward stage, reduced while backward runs.</param>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 0.001)]
    public async Task TwoShardsOfTwoClipsTakeTheSameStepAsOneShardOfFour(bool secondOrder, double bucketMb)
    {
        var config = Tiny with { SecondOrder = secondOrder, ReduceBucketMb = bucketMb };
        var (train, val) = (Batch(11), Batch(12));

        using var single = new BilevelSearch(config, classes: 3);
        single.ArchStep(val, secondOrder ? train : null);
        single.WeightStep(train);

        using var set = await Replicas(config, 2);
        var replicas = set.Searches;
        await OnEachReplica(replicas, (search, r) =>
        {
            using var myTrain = Slice(train, r, 2);
            using var myVal = Slice(val, r, 2);
            search.ArchStep(myVal, secondOrder ? myTrain : null);
            search.WeightStep(myTrain);
        });

        foreach (var replica in replicas)
        {
            AssertClose(single.Model.ArchParameters, replica.Model.ArchParameters, 1e-5, "α");
            AssertClose(single.Model.WeightParameters, replica.Model.WeightParameters, 1e-5, "w");
        }
        // The step moved the parameters, so the comparison above compares something.
        using var fresh = new BilevelSearch(config, classes: 3);
        Assert.True(MaxDifference(fresh.Model.WeightParameters, single.Model.WeightParameters) > 1e-3);
        Assert.True(MaxDifference(fresh.Model.ArchParameters, single.Model.ArchParameters) > 1e-5);
    }

    /// <summary>
    /// With BatchNorm each replica normalises by its own share's statistics and updates its own running
    /// statistics; the buffers are averaged with every gradient, so the replicas still agree bit for bit.
    /// The w gradients travel in small buckets, overlapped with backward, the buffers in the first.
    /// </summary>
    [Fact]
    public async Task BatchNormReplicasStayBitIdenticalOverAHundredSteps()
    {
        var config = Tiny with { Normalization = SearchConfig.BatchNormalization, BatchSize = 6, ReduceBucketMb = 0.001 };
        using var set = await Replicas(config, 3);
        var replicas = set.Searches;
        Assert.Single(replicas.Select(r => r.Checksum()).Distinct());
        string before = replicas[0].Checksum();
        await OnEachReplica(replicas, (search, r) =>
        {
            for (int step = 0; step < 100; step++)
            {
                // Each replica gets different clips, so only the reduction can keep them equal.
                using var train = Batch(1000 * r + step, count: 2);
                using var val = Batch(5000 + 1000 * r + step, count: 2);
                search.ArchStep(val);
                search.WeightStep(train);
            }
        });
        Assert.Single(replicas.Select(r => r.Checksum()).Distinct());
        Assert.NotEqual(before, replicas[0].Checksum());
    }

    private sealed record ReplicaSet(BilevelSearch[] Searches, GradientRing[] Rings) : IDisposable
    {
        public void Dispose()
        {
            foreach (var s in Searches) s.Dispose();
            foreach (var r in Rings) r.Dispose();
        }
    }

    private static async Task<ReplicaSet> Replicas(SearchConfig config, int count)
    {
        var rings = Enumerable.Range(0, count).Select(_ => GradientRing.Listen(timeout: TimeSpan.FromSeconds(60))).ToArray();
        var endpoints = rings.Select(r => r.LocalEndpoint).ToArray();
        var secret = GradientRing.NewSecret();
        await Task.WhenAll(rings.Select((ring, rank) => ring.ConnectAsync("replicas", rank, endpoints, secret)));
        return new ReplicaSet(rings.Select(ring => new BilevelSearch(config, classes: 3, replicas: ring)).ToArray(), rings);
    }

    private static Task OnEachReplica(BilevelSearch[] replicas, Action<BilevelSearch, int> work) =>
        Task.WhenAll(replicas.Select((search, r) => Task.Factory.StartNew(() => work(search, r), TaskCreationOptions.LongRunning)))
            .WaitAsync(TimeSpan.FromMinutes(5));

    private static ClipBatch Batch(long seed, int count = 4)
    {
        using var g = new Generator((ulong)seed);
        return new ClipBatch(randn([count, 2, 3, 2, 12, 12], generator: g), randint(0, 3, [count], generator: g));
    }

    private static ClipBatch Slice(ClipBatch batch, int shard, int shards)
    {
        long size = batch.Count / shards;
        return new ClipBatch(batch.Clips.narrow(0, shard * size, size).clone(), batch.Labels.narrow(0, shard * size, size).clone());
    }

    private static double MaxDifference(IEnumerable<Tensor> a, IEnumerable<Tensor> b) =>
        a.Zip(b).Max(p => p.First.detach().sub(p.Second.detach()).abs().max().item<float>());

    private static void AssertClose(IEnumerable<Tensor> expected, IEnumerable<Tensor> actual, double tolerance, string what)
    {
        double difference = MaxDifference(expected, actual);
        Assert.True(difference < tolerance, $"{what} differs by {difference:E3} between 2 shards of b and 1 shard of 2b");
    }
}
