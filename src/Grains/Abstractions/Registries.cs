namespace VideoNas.Grains;

/// <summary>The keys of the two <see cref="ITrialRegistryGrain"/>s: one lists trials, the other experiments.</summary>
public static class Registries
{
    public const long Trials = 0;
    public const long Experiments = 1;
}
