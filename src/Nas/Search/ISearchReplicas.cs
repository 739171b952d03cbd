using VideoNas.Core.Search;

namespace VideoNas.Nas.Search;

/// <summary>
/// The replicas of one search, called as one: a lone <see cref="InProcessReplica"/>, or a trial's shard
/// grains. A step call returns every replica's record of it, in replica order.
/// </summary>
public interface ISearchReplicas<TStep> where TStep : IStepMetrics
{
    int Count { get; }

    /// <summary>Batches per epoch of each replica's data (a full pass over the smaller half).</summary>
    int BatchesPerEpoch { get; }

    /// <param name="unrollOnNextTrainBatch">Second order: see <see cref="SearchReplica.ArchStep"/>.</param>
    Task<IReadOnlyList<TStep>> ArchStep(bool unrollOnNextTrainBatch);

    Task<IReadOnlyList<TStep>> WeightStep();

    /// <summary>Advances every replica's learning-rate schedule.</summary>
    Task EndEpoch();

    /// <summary>α as alphas.json has them (any replica's: they are identical).</summary>
    Task<string> AlphasJson();

    /// <summary>Each replica's digest of w, α and buffers.</summary>
    Task<IReadOnlyList<string>> Checksums();
}

/// <summary>What the owner of a search records: steps, epochs, and checkpoints when they are due.</summary>
public interface ISearchObserver<TStep> where TStep : IStepMetrics
{
    /// <param name="step">Steps done so far (1 after the first).</param>
    /// <param name="arch">The α step's records; null during warm-up epochs.</param>
    Task StepDone(int step, IReadOnlyList<TStep>? arch, IReadOnlyList<TStep> train, TimeSpan wall);

    /// <summary>Epoch <paramref name="epoch"/> (1-based) ended; its run files are written.</summary>
    Task EpochDone(int epoch, string genotypeJson);

    /// <summary>A checkpoint is due after <paramref name="step"/> steps: the owner writes it where it keeps them.</summary>
    Task CheckpointDue(int step);
}

/// <summary>Replicas that must be identical are not: a bug or a faulty device, which restarting would not cure.</summary>
public sealed class ReplicasDivergedException(string message) : InvalidOperationException(message);
