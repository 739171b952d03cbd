namespace VideoNas.Nas.Search;

/// <summary>Clips [batch, segments, 3, frames, H, W] and their labels [batch] (int64).</summary>
public sealed class ClipBatch(Tensor clips, Tensor labels) : IDisposable
{
    public Tensor Clips { get; } = clips;
    public Tensor Labels { get; } = labels;
    public long Count => Labels.shape[0];

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
