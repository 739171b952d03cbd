namespace VideoNas.Grains;

/// <summary>
/// What a user submits. The search configuration travels as its JSON text, so the NAS core needs
/// no serializer attributes and the saved copy is exactly what ran. <see cref="DataPlane"/> carries the
/// gradients: "tcp" (a ring over direct connections) or "orleans" (through grain messages, for clusters
/// whose silos cannot connect to each other's ring ports). <see cref="SplitSeed"/> picks the folds of a dataset of plain class folders.
/// <see cref="Priority"/>: a higher one goes ahead of earlier trials in the device queue. <see cref="Experiment"/>: the
/// experiment the trial is a seed of, which judges each of its epochs by the median rule.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec(
    [property: Id(0)] string ConfigJson,
    [property: Id(1)] string DatasetRoot,
    [property: Id(2)] int Split,
    [property: Id(3)] string OutputDir,
    [property: Id(4)] int Shards = 1,
    [property: Id(5)] string DataPlane = TrialSpec.TcpDataPlane,
    [property: Id(6)] int SplitSeed = 0,
    [property: Id(7)] int Priority = 0,
    [property: Id(8)] string? Experiment = null)
{
    public const string TcpDataPlane = "tcp";
    public const string OrleansDataPlane = "orleans";
}
