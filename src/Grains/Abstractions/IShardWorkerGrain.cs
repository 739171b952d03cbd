namespace VideoNas.Grains;

/// <summary>Opening a shard: the trial, and which share of each batch the shard owns.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardSpec(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Index,
    [property: Id(2)] int Count,
    [property: Id(3)] TrialSpec Trial);

[GenerateSerializer, Immutable]
public sealed record ShardOpened(
    [property: Id(0)] int Classes,
    [property: Id(1)] int BatchesPerEpoch,
    [property: Id(2)] string Silo);

/// <summary>
/// Holds one supernet replica, its optimiser states and its data shard (key: "trialId/index").
/// Tensor work runs on the shard's own thread, never on the grain scheduler.
/// </summary>
public interface IShardWorkerGrain : IGrainWithStringKey
{
    Task<ShardOpened> Open(ShardSpec spec);
    Task<StepMetrics> ArchStep();
    Task<StepMetrics> WeightStep();
    Task EndEpoch();
    Task<string> GetAlphasJson();
    Task<int> GetBadClipCount();
    Task Close();
}
