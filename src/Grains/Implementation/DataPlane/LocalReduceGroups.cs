using System.Collections.Concurrent;
using VideoNas.Core.DataPlane;

namespace VideoNas.Grains.DataPlane;

/// <summary>
/// The silo's <see cref="LocalReduceGroup"/>s, one per ring id, shared by the shard grains of that ring
/// that live on this silo. A silo-wide singleton (not static: in-process test clusters run several silos
/// in one process).
/// </summary>
public sealed class LocalReduceGroups
{
    private readonly ConcurrentDictionary<string, LocalReduceGroup> _groups = new();

    public LocalReduceGroup Join(string ringId, int members, int replicas, TimeSpan timeout) =>
        _groups.GetOrAdd(ringId, _ => new LocalReduceGroup(ringId, members, replicas, timeout));

    /// <summary>
    /// A member closes: the group breaks, waking any member still waiting in it, and is forgotten. A ring
    /// is never reused (a recovery links a fresh one), so the others' later Leave finds nothing.
    /// </summary>
    public void Leave(string ringId)
    {
        if (_groups.TryRemove(ringId, out var group)) group.Dispose();
    }
}
