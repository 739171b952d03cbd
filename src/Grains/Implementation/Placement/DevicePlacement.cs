using Orleans.Placement;

namespace VideoNas.Grains.Placement;

/// <summary>Places a grain on the silo its key names (<see cref="BoundKey"/>), and nowhere else.</summary>
[GenerateSerializer, Immutable]
public sealed class DevicePlacement : PlacementStrategy
{
    public static readonly DevicePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class DevicePlacementAttribute() : PlacementAttribute(DevicePlacement.Instance);
