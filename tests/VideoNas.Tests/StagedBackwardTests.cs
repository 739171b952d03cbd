using System.Collections.Concurrent;
using VideoNas.Core.DataPlane;
using VideoNas.Nas.DataPlane;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>The staged backward that lets a replica reduce a layer's gradients while the layers below still run backward.</summary>
public class StagedBackwardTests
{
    private static readonly SearchConfig Net = new()
    {
        Primitives = ["none", "skip_connect", "avg_pool_1x3x3", "conv_1x3x3", "p3d_c_3", "dil_conv_1x3x3"],
        InitChannels = 4, Layers = 4, Steps = 2, StemMultiplier = 1, Segments = 2, FramesPerSegment = 2, Resolution = 24,
        BatchSize = 3, Seed = 9, ReduceTime = true,
    };

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void StagesGiveTheGradientsOfOneBackward(int partialChannels, bool edgeNormalization)
    {
        var config = Net with { PartialChannels = partialChannels, EdgeNormalization = edgeNormalization };
        using var search = new BilevelSearch(config, classes: 3);
        var model = search.Model;
        var weights = model.WeightParameters.ToList();
        using var batch = Batch(3);
        using var scope = NewDisposeScope();
        model.train();

        var whole = Gradients.Of(Loss(model.call(batch.Clips), batch), weights.Cast<Tensor>().ToList());

        var (logits, stagesFor) = model.ForwardStaged(batch.Clips);
        var stages = stagesFor(Loss(logits, batch));
        var staged = new Dictionary<IntPtr, Tensor>();
        var order = new List<int>();
        StagedBackward.Run(stages, (stage, grads) =>
        {
            order.Add(stages.ToList().IndexOf(stage));
            for (int i = 0; i < grads.Count; i++) Assert.True(staged.TryAdd(stage.Parameters[i].Handle, grads[i]), "a parameter in two stages");
        });

        // Classifier, the 4 cells from the last, the stem; every weight in exactly one of them.
        Assert.Equal(config.Layers + 2, stages.Count);
        Assert.Equal(Enumerable.Range(0, stages.Count), order);
        Assert.Equal(weights.Count, staged.Count);
        for (int i = 0; i < weights.Count; i++)
        {
            double scale = whole[i].abs().max().item<float>();
            double difference = staged[weights[i].Handle].sub(whole[i]).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * Math.Max(scale, 1e-3), $"weight {i}: staged gradient differs by {difference:E2} (largest entry {scale:E2})");
        }
        Assert.True(whole.Count(g => g.abs().max().item<float>() > 0) > weights.Count / 2, "most gradients are non-zero, so the comparison compares something");
    }

    [Fact]
    public void BucketsAreReducedOnAnotherThreadWhileBackwardRunsAndLandInTheirTensors()
    {
        var config = Net with { ReduceBucketMb = 0.002 };
        using var single = new BilevelSearch(config, classes: 3);
        var reducer = new RecordingReducer();
        using var replica = new BilevelSearch(config, classes: 3, replicas: reducer);
        using var batch = Batch(4);

        single.WeightStep(batch);
        replica.WeightStep(batch);

        // The reducer returns what it is given, so the replica's step must equal a lone search's.
        double difference = single.Model.WeightParameters.Zip(replica.Model.WeightParameters)
            .Max(p => p.First.sub(p.Second).abs().max().item<float>());
        Assert.True(difference < 1e-6, $"w differs by {difference:E2} from a search without replicas");

        int caller = Environment.CurrentManagedThreadId;
        long floats = replica.Model.WeightParameters.Sum(p => p.numel())
            + replica.Model.buffers().Where(b => b.is_floating_point()).Sum(b => b.numel());
        Assert.True(reducer.Calls.Count >= 4, $"{reducer.Calls.Count} buckets");
        Assert.Equal(floats, reducer.Calls.Sum(c => (long)c.Length));
        Assert.All(reducer.Calls, c => Assert.NotEqual(caller, c.Thread));
        Assert.Equal(floats * sizeof(float), replica.Replicas.ReducedBytes);
        Assert.True(replica.Replicas.OverlappedSeconds > 0, "no bucket was reduced before backward finished");
    }

    [Fact]
    public void AFailedBucketFailsTheStepWithTheReducersException()
    {
        using var replica = new BilevelSearch(Net with { ReduceBucketMb = 0.002 }, classes: 3, replicas: new RecordingReducer(failOnCall: 2));
        using var batch = Batch(4);
        var e = Assert.Throws<RingBrokenException>(() => replica.WeightStep(batch));
        Assert.Contains("shard 1 vanished", e.Message);
    }

    private static Tensor Loss(Tensor logits, ClipBatch batch) => nn.functional.cross_entropy(logits, batch.Labels);

    private static ClipBatch Batch(long seed)
    {
        using var g = new Generator((ulong)seed);
        return new ClipBatch(randn([3, 2, 3, 2, 24, 24], generator: g), randint(0, 3, [3], generator: g));
    }

    /// <summary>A second replica that agrees with everything: the mean is the buffer itself. Slow enough to be seen overlapping.</summary>
    private sealed class RecordingReducer(int failOnCall = -1) : IGradientReducer
    {
        private readonly ConcurrentQueue<(int Length, int Thread)> _calls = new();

        public IReadOnlyList<(int Length, int Thread)> Calls => [.. _calls];
        public int Size => 2;

        public void AllReduceMean(Memory<float> data)
        {
            _calls.Enqueue((data.Length, Environment.CurrentManagedThreadId));
            if (_calls.Count == failOnCall) throw new RingBrokenException("shard 1 vanished");
            Thread.Sleep(5);
        }

        public void Dispose() { }
    }
}
