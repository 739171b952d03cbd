using Microsoft.Extensions.Options;
using VideoNas.Grains.Placement;

namespace VideoNas.Grains;

/// <summary>How many devices a silo offers: its CUDA devices when built for CUDA, otherwise CPU worker slots.</summary>
public sealed class DeviceOptions
{
    /// <summary>Shards a silo without GPUs runs at once (each uses libtorch's intra-op threads).</summary>
    public int CpuSlots { get; set; } = 1;

    /// <summary>libtorch's intra-op threads in this silo (0 = one per core); the host applies it at start.</summary>
    public int TorchThreads { get; set; }
}

[DevicePlacement]
public sealed class DeviceRegistryGrain(IOptions<DeviceOptions> options) : Grain, IDeviceRegistryGrain
{
    private DeviceSlot[] _slots = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string silo = BoundKey.SiloOf(this.GetPrimaryKeyString());
        int cuda = Nas.TorchRuntime.CudaDevices();
        _slots = cuda > 0
            ? Enumerable.Range(0, cuda).Select(i => new DeviceSlot(silo, "cuda", i, null)).ToArray()
            : Enumerable.Range(0, Math.Max(1, options.Value.CpuSlots)).Select(i => new DeviceSlot(silo, "cpu", i, null)).ToArray();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DeviceSlot>> List() => Task.FromResult<IReadOnlyList<DeviceSlot>>(_slots);

    public Task<DeviceSlot?> Lease(string holder)
    {
        int free = Array.FindIndex(_slots, s => s.Holder is null || s.Holder == holder);
        if (free < 0) return Task.FromResult<DeviceSlot?>(null);
        _slots[free] = _slots[free] with { Holder = holder };
        // Leases live in memory; the registry must outlive every idle period of the trial holding them.
        DelayDeactivation(TimeSpan.FromDays(1));
        return Task.FromResult<DeviceSlot?>(_slots[free]);
    }

    public Task Release(string trialId)
    {
        for (int i = 0; i < _slots.Length; i++)
            if (_slots[i].Holder is { } holder && LeaseHolder.TrialOf(holder) == trialId) _slots[i] = _slots[i] with { Holder = null };
        return Task.CompletedTask;
    }
}
