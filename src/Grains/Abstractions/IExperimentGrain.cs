namespace VideoNas.Grains;

/// <summary>
/// Owns one experiment (key: its id): submits a trial per seed, at most <see cref="ExperimentSpec.Parallel"/>
/// at once, applies the median stopping rule, and writes the comparison of seeds (summary.json, summary.md,
/// plots, cell diagrams) to its output folder as trials end.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Starts the experiment; submitting the same id and spec again returns its status.</summary>
    Task<ExperimentStatus> Submit(ExperimentSpec spec);

    /// <summary>Answers between the turns of a reconciliation, which may wait on a trial's cancel.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ExperimentStatus> GetStatus();

    /// <summary>Cancels every unfinished trial (each after its step in flight) and seeds not yet started.</summary>
    [ResponseTimeout("00:10:00")]
    Task<ExperimentStatus> Cancel();

    /// <summary>
    /// A seed's trial finished an epoch (its α-split accuracy per epoch so far): the reason it must stop by
    /// the median rule, or null. Interleaves, so a trial waiting on it never waits for a reconciliation
    /// that is itself cancelling that trial.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string?> EpochEnded(long seed, IReadOnlyList<double> archAccuracy);

    /// <summary>Continues a cancelled or failed experiment: its cancelled and failed trials from their checkpoints, and seeds never started.</summary>
    Task<ExperimentStatus> Resume();

    /// <summary>Forgets a finished experiment and every trial it submitted; with <paramref name="files"/> also the files they and its report wrote.</summary>
    Task<DeletedRun> Delete(bool files);
}
