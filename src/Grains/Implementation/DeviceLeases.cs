using Orleans.Runtime;

namespace VideoNas.Grains;

/// <summary>
/// A trial's device leases across the cluster's silos. Every call to a silo's registry is bounded,
/// because a silo that just died can still be listed as active until the membership protocol votes it
/// out; such a silo simply offers no devices.
/// </summary>
internal sealed class DeviceLeases(IGrainFactory grains, string trialId, TimeSpan callTimeout)
{
    /// <summary>
    /// One device per shard, taken round-robin over the active silos so that shards spread out before
    /// doubling up. Not enough free devices: nothing stays leased, and the reason says how many there were.
    /// </summary>
    public async Task<(List<DeviceSlot>? Devices, string Shortfall)> TryLease(int count)
    {
        var silos = await ActiveSilos();
        var leased = new List<DeviceSlot>();
        var unreachable = new HashSet<string>();
        for (bool progress = true; leased.Count < count && progress;)
        {
            progress = false;
            foreach (var silo in silos.Where(s => !unreachable.Contains(s)).TakeWhile(_ => leased.Count < count))
            {
                try
                {
                    if (await Registry(silo).Lease(LeaseHolder.Of(trialId, leased.Count)).WaitAsync(callTimeout) is not { } slot) continue;
                    leased.Add(slot);
                    progress = true;
                }
                catch (Exception)
                {
                    // Timed out, refused by placement, connection lost: whichever, this silo offers nothing now.
                    unreachable.Add(silo);
                }
            }
        }
        if (leased.Count == count) return (leased, "");
        // Only the silos that answered hold a lease; asking the unreachable ones again would wait out their timeout twice.
        await Release(silos.Where(s => !unreachable.Contains(s)));
        return (null, $"the trial needs {count} devices but the cluster's {silos.Count - unreachable.Count} silo(s) have only {leased.Count} free");
    }

    /// <summary>Frees this trial's devices on every reachable silo; an unreachable silo's leases die with it.</summary>
    public async Task ReleaseAll() => await Release(await ActiveSilos());

    private Task Release(IEnumerable<string> silos) =>
        Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                await Registry(silo).Release(trialId).WaitAsync(callTimeout);
            }
            catch (Exception)
            {
                // Nothing to free on a silo that is gone.
            }
        }));

    private async Task<List<string>> ActiveSilos()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
    }

    private IDeviceRegistryGrain Registry(string silo) => grains.GetGrain<IDeviceRegistryGrain>(BoundKey.Of("devices", silo));
}
