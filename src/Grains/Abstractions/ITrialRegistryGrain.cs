namespace VideoNas.Grains;

/// <summary>
/// A persistent list of submitted runs (key <see cref="Registries.Trials"/> for trials, <see cref="Registries.Experiments"/>
/// for experiments), so a client can find earlier runs, and of those not yet finished, which every silo's
/// <c>TrialKeeper</c> wakes so that a run whose silo died resumes elsewhere.
/// </summary>
public interface ITrialRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the id, or marks a known one unfinished again (a resumed run).</summary>
    Task Register(string trialId);
    Task<IReadOnlyList<string>> List();
    Task Finished(string trialId);
    Task<IReadOnlyList<string>> Unfinished();
    /// <summary>Removes the id from both lists (a deleted run).</summary>
    Task Forget(string trialId);
}
