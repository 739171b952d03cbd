using VideoNas.Core.DataPlane;

namespace VideoNas.Grains;

/// <summary>The silo's ring ports (<c>VideoNas:RingPorts</c>, e.g. "40000-40031"); unset: any free port.</summary>
public sealed class NetworkOptions
{
    public string? RingPorts { get; set; }

    public PortRange? RingPortRange => PortRange.Parse(RingPorts, "VideoNas:RingPorts");
}
