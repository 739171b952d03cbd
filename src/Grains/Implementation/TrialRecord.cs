namespace VideoNas.Grains;

/// <summary>A trial's persisted state: what was asked, where it stands, and the genotype of every finished epoch.</summary>
public sealed class TrialRecord
{
    public TrialSpec? Spec { get; set; }
    public TrialState State { get; set; } = TrialState.Pending;
    public int Epoch { get; set; }
    public int Epochs { get; set; }
    public int Step { get; set; }
    public int TotalSteps { get; set; }
    public StepMetrics? Train { get; set; }
    public StepMetrics? Arch { get; set; }
    public string? GenotypeJson { get; set; }
    public List<EpochSummary> History { get; set; } = [];
    public string? Error { get; set; }
    public string? StopReason { get; set; }
    public List<ShardInfo> Shards { get; set; } = [];
    public int BadClips { get; set; }
    public DateTime UpdatedUtc { get; set; }
    /// <summary>The last checkpoint on disk; the trial resumes from it after losing a shard or its coordinator.</summary>
    public CheckpointRef? Checkpoint { get; set; }
    public int Recoveries { get; set; }
    public string? Notice { get; set; }
}

/// <summary>A checkpoint file, its global step, and the running sums of the epoch it lies in.</summary>
public sealed record CheckpointRef(string Path, long Step, MetricsSum EpochTrain, MetricsSum EpochArch);
