namespace VideoNas.Grains;

/// <summary>One device of a silo: a CUDA device, or a CPU worker slot on a silo without GPUs.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceSlot(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Kind,
    [property: Id(2)] int Index,
    [property: Id(3)] string? Holder);

/// <summary>
/// The devices of one silo and which shard holds each (key: <see cref="BoundKey"/> "devices|silo"; it
/// lives on that silo). Leases are in memory: they vanish with the silo, exactly as its devices do.
/// </summary>
public interface IDeviceRegistryGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<DeviceSlot>> List();

    /// <summary>Leases one free device to <paramref name="holder"/>, or returns null when all are held.</summary>
    Task<DeviceSlot?> Lease(string holder);

    /// <summary>Frees the devices held by exactly this trial (not by one whose id merely starts the same).</summary>
    Task Release(string trialId);
}
