namespace VideoNas.Grains;

/// <summary>Mean loss and accuracy of the last steps of one kind (w or α).</summary>
[GenerateSerializer, Immutable]
public sealed record StepMetrics(
    [property: Id(0)] double Loss,
    [property: Id(1)] double Accuracy,
    [property: Id(2)] long Clips);

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
/// would send it back to; <see cref="Notice"/> says what a running trial is waiting for or recovered from.
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
    [property: Id(19)] string? Coordinator = null)
{
    public int StepsPerEpoch => Epochs == 0 ? 0 : TotalSteps / Epochs;
}
