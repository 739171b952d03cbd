namespace VideoNas.Grains;

/// <summary>
/// Owns one search trial (key: trial id) and orders its steps: α step, then w step, on every shard;
/// derives the genotype at each epoch end and writes <c>alphas.json</c> and <c>genotype.json</c>.
/// </summary>
public interface ITrialCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts the trial; submitting the same id again returns its status without restarting it.</summary>
    Task<TrialStatus> Submit(TrialSpec spec);

    Task<TrialStatus> GetStatus();

    /// <summary>Stops the trial after the step in flight and waits until its shards are released.</summary>
    [ResponseTimeout("00:10:00")]
    Task<TrialStatus> Cancel();

    /// <summary>As <see cref="Cancel"/>, but the trial ends Stopped with <paramref name="reason"/> (an early stop, not the user's).</summary>
    [ResponseTimeout("00:10:00")]
    Task<TrialStatus> Stop(string reason);

    /// <summary>Continues a cancelled or failed trial from its last checkpoint (from the start without one); other trials are returned as they are.</summary>
    Task<TrialStatus> Resume();

    /// <summary>
    /// Forgets a finished trial (Completed, Failed, Cancelled or Stopped): its record and its registry entry, and with
    /// <paramref name="files"/> its run files and checkpoints. A seed of an experiment goes only with its experiment
    /// (<paramref name="byExperiment"/>), so that no experiment is left naming a trial that is gone.
    /// </summary>
    Task<DeletedRun> Delete(bool files, bool byExperiment = false);
}
