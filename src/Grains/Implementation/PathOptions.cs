namespace VideoNas.Grains;

/// <summary>
/// Where a silo reads datasets and writes trial outputs (<c>VideoNas:DataRoots</c>, <c>VideoNas:OutputRoot</c>).
/// Unset, a silo takes any path its callers give, as the embedded default does; a cluster sets both.
/// </summary>
public sealed class PathOptions
{
    public string[] DataRoots { get; set; } = [];
    public string? OutputRoot { get; set; }

    /// <summary>Refuses a trial whose dataset or output lies outside the configured roots.</summary>
    public void Check(TrialSpec spec)
    {
        if (DataRoots.Length > 0) Core.ConfinedPath.Require(spec.DatasetRoot, DataRoots, "dataset", "VideoNas:DataRoots");
        if (OutputRoot is not null) Core.ConfinedPath.Require(spec.OutputDir, [OutputRoot], "output folder", "VideoNas:OutputRoot");
    }
}
