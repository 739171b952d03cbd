namespace VideoNas.Nas.Search;

/// <summary>A search with one replica in this process, stepped on the caller's thread: no silo, no network.</summary>
public sealed class InProcessReplica(SearchReplica replica) : ISearchReplicas<ReplicaStep>
{
    public int Count => 1;
    public int BatchesPerEpoch => replica.BatchesPerEpoch;
    public Task<IReadOnlyList<ReplicaStep>> ArchStep(bool unrollOnNextTrainBatch) => One(replica.ArchStep(unrollOnNextTrainBatch));
    public Task<IReadOnlyList<ReplicaStep>> WeightStep() => One(replica.WeightStep());

    public Task EndEpoch()
    {
        replica.EndEpoch();
        return Task.CompletedTask;
    }

    public Task<string> AlphasJson() => Task.FromResult(replica.AlphasJson());
    public Task<IReadOnlyList<string>> Checksums() => Task.FromResult<IReadOnlyList<string>>([replica.Checksum()]);

    private static Task<IReadOnlyList<ReplicaStep>> One(ReplicaStep step) => Task.FromResult<IReadOnlyList<ReplicaStep>>([step]);
}
