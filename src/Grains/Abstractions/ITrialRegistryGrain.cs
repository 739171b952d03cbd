namespace VideoNas.Grains;

/// <summary>
/// The persistent list of submitted trials (key 0), so a client can find earlier runs, and of those not
/// yet finished, which every silo's <c>TrialKeeper</c> wakes so that a trial whose silo died resumes elsewhere.
/// </summary>
public interface ITrialRegistryGrain : IGrainWithIntegerKey
{
    Task Register(string trialId);
    Task<IReadOnlyList<string>> List();
    Task Finished(string trialId);
    Task<IReadOnlyList<string>> Unfinished();
}
