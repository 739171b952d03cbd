namespace VideoNas.Grains;

/// <summary>
/// Mean loss and accuracy of the last steps of one kind (w or α). From one shard's step also where its
/// time went: waiting for the all-reduce (peers included) and everything else, the bytes it reduced, and
/// the all-reduce time that backward hid (buckets reduced while the layers below were still computed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StepMetrics(
    [property: Id(0)] double Loss,
    [property: Id(1)] double Accuracy,
    [property: Id(2)] long Clips,
    [property: Id(3)] double ComputeSeconds = 0,
    [property: Id(4)] double ReduceSeconds = 0,
    [property: Id(5)] long ReducedBytes = 0,
    [property: Id(6)] double OverlappedSeconds = 0) : Core.Search.IStepMetrics;

/// <summary>
/// Where a trial's steps (an α step and a w step) spend their time, averaged over shards and over the
/// steps since the trial's current attempt began, its first step left out as warm-up. Compute is a
/// shard's own work; wait is how long it sat in the all-reduce for the slowest shard to arrive (the
/// slowest's compute minus its own); reduce is the rest of the all-reduce time it waited for; overlapped
/// is all-reduce time hidden behind its backward pass; step is the coordinator's wall time, Orleans calls included.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StepTiming(
    [property: Id(0)] int Steps,
    [property: Id(1)] double StepSeconds,
    [property: Id(2)] double ComputeSeconds,
    [property: Id(3)] double ReduceSeconds,
    [property: Id(4)] double WaitSeconds,
    [property: Id(5)] long BytesPerStep,
    [property: Id(6)] double OverlappedSeconds = 0)
{
    public static readonly StepTiming None = new(0, 0, 0, 0, 0, 0);

    /// <summary>One more step: its wall time and every call it made on all shards (one array per call).</summary>
    public StepTiming Add(double wallSeconds, IEnumerable<StepMetrics[]> calls)
    {
        double compute = 0, reduce = 0, wait = 0, overlapped = 0;
        long bytes = 0;
        foreach (var shards in calls)
        {
            double slowest = shards.Max(s => s.ComputeSeconds);
            compute += shards.Average(s => s.ComputeSeconds);
            wait += shards.Average(s => Math.Min(s.ReduceSeconds, slowest - s.ComputeSeconds));
            reduce += shards.Average(s => Math.Max(0, s.ReduceSeconds - (slowest - s.ComputeSeconds)));
            overlapped += shards.Average(s => s.OverlappedSeconds);
            bytes += shards[0].ReducedBytes;
        }
        int n = Steps + 1;
        return new(n, Running(StepSeconds, wallSeconds, n), Running(ComputeSeconds, compute, n), Running(ReduceSeconds, reduce, n),
            Running(WaitSeconds, wait, n), bytes, Running(OverlappedSeconds, overlapped, n));
    }

    private static double Running(double mean, double next, int n) => mean + (next - mean) / n;
}

/// <summary>Mean metrics of one finished epoch and the genotype derived at its end.</summary>
[GenerateSerializer, Immutable]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] StepMetrics Train,
    [property: Id(2)] StepMetrics? Arch,
    [property: Id(3)] string GenotypeJson);

/// <summary>A shard, its silo, and where its gradients go: its ring port ("tcp 10.0.0.5:41234") or "orleans".</summary>
[GenerateSerializer, Immutable]
public sealed record ShardInfo(
    [property: Id(0)] int Index,
    [property: Id(1)] string Silo,
    [property: Id(2)] string DataPlane = "");

/// <summary>
/// What <c>videonas status</c> shows of a trial. <see cref="CheckpointStep"/> is the step a lost shard
/// would send it back to; <see cref="Notice"/> says what a pending or running trial is waiting for or recovered from.
/// <see cref="StartedUtc"/>: when it first got its devices; <see cref="EndedUtc"/>: when it ended.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialStatus(
    [property: Id(0)] string TrialId,
    [property: Id(1)] TrialState State,
    [property: Id(2)] int Epoch,
    [property: Id(3)] int Epochs,
    [property: Id(4)] int Step,
    [property: Id(5)] int TotalSteps,
    [property: Id(6)] StepMetrics? Train,
    [property: Id(7)] StepMetrics? Arch,
    [property: Id(8)] string? GenotypeJson,
    [property: Id(9)] string? Error,
    [property: Id(10)] string OutputDir,
    [property: Id(11)] IReadOnlyList<ShardInfo> Shards,
    [property: Id(12)] int BadClips,
    [property: Id(13)] DateTime UpdatedUtc,
    [property: Id(14)] IReadOnlyList<EpochSummary> History,
    [property: Id(15)] string? StopReason,
    [property: Id(16)] long CheckpointStep = 0,
    [property: Id(17)] int Recoveries = 0,
    [property: Id(18)] string? Notice = null,
    [property: Id(19)] string? Coordinator = null,
    [property: Id(20)] StepTiming? Timing = null,
    [property: Id(21)] DateTime? StartedUtc = null,
    [property: Id(22)] DateTime? EndedUtc = null)
{
    public int StepsPerEpoch => Epochs == 0 ? 0 : TotalSteps / Epochs;
}
