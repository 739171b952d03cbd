namespace VideoNas.Nas.Search;

/// <summary>Clips [batch, segments, 3, frames, H, W] and their labels [batch] (int64).</summary>
public sealed class ClipBatch(Tensor clips, Tensor labels) : IDisposable
{
    public Tensor Clips { get; } = clips;
    public Tensor Labels { get; } = labels;
    public long Count => Labels.shape[0];

    /// <summary>Random clips of the input's shape and random labels, both drawn from <paramref name="seed"/>: a benchmark's batch.</summary>
    public static ClipBatch Random(Core.Data.ClipInputConfig input, int batchSize, int classes, ulong seed)
    {
        using var generator = new Generator(seed);
        return new ClipBatch(randn([batchSize, input.Segments, 3, input.FramesPerSegment, input.Resolution, input.Resolution], generator: generator),
            randint(classes, [batchSize], generator: generator));
    }

    public void Dispose()
    {
        Clips.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Mean loss and accuracy over <see cref="Count"/> clips.</summary>
public readonly record struct StepResult(double Loss, double Accuracy, long Count)
{
    public static StepResult Mean(IReadOnlyCollection<StepResult> results)
    {
        long n = results.Sum(r => r.Count);
        return n == 0 ? default : new(results.Sum(r => r.Loss * r.Count) / n, results.Sum(r => r.Accuracy * r.Count) / n, n);
    }
}
