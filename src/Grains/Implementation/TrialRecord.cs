namespace VideoNas.Grains;

/// <summary>
/// A trial's persisted state: what was asked, where it stands, and the genotype of every finished epoch.
/// Marked for Orleans' serializer because the Redis storage's JSON reader only builds allow-listed types.
/// </summary>
[GenerateSerializer]
public sealed class TrialRecord
{
    [Id(0)] public TrialSpec? Spec { get; set; }
    [Id(1)] public TrialState State { get; set; } = TrialState.Pending;
    [Id(2)] public int Epoch { get; set; }
    [Id(3)] public int Epochs { get; set; }
    [Id(4)] public int Step { get; set; }
    [Id(5)] public int TotalSteps { get; set; }
    [Id(6)] public StepMetrics? Train { get; set; }
    [Id(7)] public StepMetrics? Arch { get; set; }
    [Id(8)] public string? GenotypeJson { get; set; }
    [Id(9)] public List<EpochSummary> History { get; set; } = [];
    [Id(10)] public string? Error { get; set; }
    [Id(11)] public string? StopReason { get; set; }
    [Id(12)] public List<ShardInfo> Shards { get; set; } = [];
    [Id(13)] public int BadClips { get; set; }
    [Id(14)] public DateTime UpdatedUtc { get; set; }
    /// <summary>The last checkpoint on disk; the trial resumes from it after losing a shard or its coordinator.</summary>
    [Id(15)] public CheckpointRef? Checkpoint { get; set; }
    [Id(16)] public int Recoveries { get; set; }
    [Id(17)] public string? Notice { get; set; }
    /// <summary>What made the last recovery necessary.</summary>
    [Id(18)] public string? RecoveryCause { get; set; }
    /// <summary>The checkpoint before <see cref="Checkpoint"/>, kept on disk: where the trial goes back to if that one is damaged.</summary>
    [Id(19)] public CheckpointRef? SpareCheckpoint { get; set; }
    /// <summary>Its place in the device queue: earlier submissions go first.</summary>
    [Id(20)] public DateTime SubmittedUtc { get; set; }
    [Id(21)] public DateTime? StartedUtc { get; set; }
    [Id(22)] public DateTime? EndedUtc { get; set; }
}

/// <summary>A checkpoint file, its global step, and the running sums of the epoch it lies in.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointRef(
    [property: Id(0)] string Path,
    [property: Id(1)] long Step,
    [property: Id(2)] MetricsSum EpochTrain,
    [property: Id(3)] MetricsSum EpochArch);
