using Orleans.Runtime.Placement;

namespace VideoNas.Grains.Placement;

/// <summary>
/// Binds a device-owning grain to the silo in its key. When that silo has left the cluster the
/// activation is refused rather than placed elsewhere: a shard's device went with its silo, and it is
/// the coordinator's decision where the shard goes next.
/// </summary>
public sealed class DevicePlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloAddress.FromParsableString(BoundKey.SiloOf(key));
        if (context.GetCompatibleSilos(target).Contains(silo)) return Task.FromResult(silo);
        throw new SiloUnavailableException($"grain {key} is bound to silo {silo}, which is not an active member of the cluster");
    }
}
