namespace VideoNas.Grains;

/// <summary>
/// What a user submits. The search configuration travels as its JSON text, so the NAS core needs
/// no serializer attributes and the saved copy is exactly what ran.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialSpec(
    [property: Id(0)] string ConfigJson,
    [property: Id(1)] string DatasetRoot,
    [property: Id(2)] int Split,
    [property: Id(3)] string OutputDir,
    [property: Id(4)] int Shards = 1);
