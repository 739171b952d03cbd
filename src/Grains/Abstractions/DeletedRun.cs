namespace VideoNas.Grains;

/// <summary>
/// What deleting a finished trial or experiment removed: its record, and with files, the files VideoNas wrote
/// (<see cref="FilesDeleted"/>); <see cref="Kept"/> lists what stayed because VideoNas did not write it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeletedRun(
    [property: Id(0)] string Id,
    [property: Id(1)] int FilesDeleted,
    [property: Id(2)] IReadOnlyList<string> Kept);
