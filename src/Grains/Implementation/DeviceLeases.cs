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
    /// One device per shard, taken round-robin over the reachable silos, those with the most free devices
    /// first, so that shards and trials spread out before doubling up. Not enough free devices: nothing
    /// stays leased. Either way the census says what the cluster has.
    /// </summary>
    public async Task<(List<DeviceSlot>? Devices, DeviceCensus Census)> TryLease(int count)
    {
        var census = await Census();
        var leased = new List<DeviceSlot>();
        var unreachable = new HashSet<string>();
        var silos = census.FreeBySilo.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key).ToList();
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
        if (leased.Count == count) return (leased, census);
        // Only the silos that answered hold a lease; asking the unreachable ones again would wait out their timeout twice.
        await Release(silos.Where(s => !unreachable.Contains(s)));
        return (null, census);
    }

    /// <summary>Every reachable silo's devices and how many are free (held by nobody, or by this trial already).</summary>
    public async Task<DeviceCensus> Census()
    {
        var silos = await ActiveSilos();
        var answers = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                var slots = await Registry(silo).List().WaitAsync(callTimeout);
                return (silo, Total: slots.Count, Free: slots.Count(s => s.Holder is null || LeaseHolder.TrialOf(s.Holder) == trialId));
            }
            catch (Exception)
            {
                return (silo, Total: -1, Free: 0);
            }
        }));
        var reachable = answers.Where(a => a.Total >= 0).ToList();
        return new DeviceCensus(reachable.Sum(a => a.Total), reachable.ToDictionary(a => a.silo, a => a.Free));
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

/// <summary>The devices of the reachable silos: how many in all, and how many each silo has free.</summary>
internal sealed record DeviceCensus(int Total, IReadOnlyDictionary<string, int> FreeBySilo)
{
    public int Free => FreeBySilo.Values.Sum();
    public int Silos => FreeBySilo.Count;

    public string Describe() => $"{Free} free of {Total} on {Silos} silo(s)";
}
