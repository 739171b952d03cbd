namespace VideoNas.Grains;

/// <summary>The persistent list of submitted trials (key 0), so a client can find earlier runs.</summary>
public interface ITrialRegistryGrain : IGrainWithIntegerKey
{
    Task Register(string trialId);
    Task<IReadOnlyList<string>> List();
}
