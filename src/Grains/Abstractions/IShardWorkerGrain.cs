namespace VideoNas.Grains;

/// <summary>
/// Opening a shard: the trial, which share of each batch the shard owns, its device, and the checkpoint
/// to continue from (none: a fresh, seeded start).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardSpec(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Index,
    [property: Id(2)] int Count,
    [property: Id(3)] TrialSpec Trial,
    [property: Id(4)] DeviceSlot Device,
    [property: Id(5)] string? Checkpoint = null);

[GenerateSerializer, Immutable]
public sealed record ShardOpened(
    [property: Id(0)] int Classes,
    [property: Id(1)] int BatchesPerEpoch,
    [property: Id(2)] string Silo,
    [property: Id(3)] string RingEndpoint);

/// <summary>
/// How a shard joins its trial's all-reduce. Shards of one silo first reduce through memory in a group of
/// <see cref="LocalCount"/> (local rank 0 leads it); the leaders, one per silo, form the TCP ring of
/// <see cref="Endpoints"/>, in which a leader's <see cref="Rank"/> is its place (−1 for the others). With
/// one shard per silo every shard is a leader and the ring is flat. <see cref="Replicas"/> counts all shards.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RingSpec(
    [property: Id(0)] string RingId,
    [property: Id(1)] int Rank,
    [property: Id(2)] IReadOnlyList<string> Endpoints,
    [property: Id(3)] int LocalRank = 0,
    [property: Id(4)] int LocalCount = 1,
    [property: Id(5)] int Replicas = 0,
    [property: Id(6)] byte[]? Secret = null)
{
    /// <summary>
    /// The specs of shards on the given silos, in shard order: each silo's lowest shard leads its group,
    /// and the leaders keep shard order in the ring.
    /// </summary>
    public static IReadOnlyList<RingSpec> Hierarchical(string ringId, IReadOnlyList<string> silos, IReadOnlyList<string> endpoints, byte[] secret)
    {
        var leaders = silos.Select((silo, i) => (silo, i)).GroupBy(x => x.silo).Select(g => g.First().i).Order().ToList();
        var ring = leaders.Select(i => endpoints[i]).ToList();
        return silos.Select((silo, i) =>
        {
            var local = silos.Select((s, j) => (s, j)).Where(x => x.s == silo).Select(x => x.j).ToList();
            return new RingSpec(ringId, leaders.IndexOf(i), ring, local.IndexOf(i), local.Count, silos.Count, secret);
        }).ToList();
    }
}

/// <summary>
/// Holds one supernet replica, its optimiser states and its data shard (key: <see cref="BoundKey"/>
/// "trialId/index|silo", so it activates only on the silo that owns its device). Tensor work runs on
/// the shard's own thread, never on the grain scheduler; gradients travel between shards over the
/// ring's TCP links, not through Orleans.
/// </summary>
public interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>Builds the replica and decodes the shard's data before answering, hence the long timeout.</summary>
    [ResponseTimeout("00:30:00")]
    Task<ShardOpened> Open(ShardSpec spec);
    Task LinkRing(RingSpec ring);
    /// <param name="unrollOnNextTrainBatch">Second order: unroll on the next training batch and keep it for the next <see cref="WeightStep"/>.</param>
    [ResponseTimeout("00:10:00")]
    Task<StepMetrics> ArchStep(bool unrollOnNextTrainBatch);
    [ResponseTimeout("00:10:00")]
    Task<StepMetrics> WeightStep();
    Task EndEpoch();
    /// <summary>Writes this replica's checkpoint (every replica's would be the same) for global step <paramref name="step"/>.</summary>
    [ResponseTimeout("00:10:00")]
    Task SaveCheckpoint(string path, long step);
    Task<string> GetAlphasJson();
    /// <summary>A digest of w, α and the normalisation buffers: equal on every shard while they agree.</summary>
    Task<string> GetChecksum();
    Task<int> GetBadClipCount();

    /// <summary>Runs even while a step is in flight (a step blocked in an all-reduce for a peer that died would never end on its own).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task Close();
}
