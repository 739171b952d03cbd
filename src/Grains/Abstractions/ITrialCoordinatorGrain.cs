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

    Task<TrialStatus> Cancel();
}
