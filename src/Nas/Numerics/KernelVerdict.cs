namespace VideoNas.Nas.Numerics;

/// <summary>How one route fared in its probe process.</summary>
/// <param name="OneDnnIsa">oneDNN's own account of the ISA it dispatched to, or null where oneDNN was not used.</param>
public sealed record RouteTrial(string Route, bool Passed, double Seconds, IReadOnlyList<string> Failures, string? OneDnnIsa, string? OneDnnVersion);

/// <summary>The route chosen for one CPU and libtorch build, and every route tried to get there.</summary>
public sealed record KernelVerdict(string Route, bool Verified, string CpuModel, string Key, DateTimeOffset CheckedAt, IReadOnlyList<RouteTrial> Tried);

/// <summary>Where the route in force came from.</summary>
public enum KernelRouteSource
{
    /// <summary>VIDEONAS_ONEDNN_ISA was set.</summary>
    Override,
    /// <summary>ONEDNN_MAX_CPU_ISA was set by the user; it is left as it is.</summary>
    OneDnnVariable,
    /// <summary>A verdict cached by an earlier probe on this CPU and libtorch.</summary>
    Cache,
    /// <summary>Probed in child processes just now.</summary>
    Probe,
    /// <summary>No probe could run (the probe program is not beside this one); native kernels, unchecked.</summary>
    Unverified,
}

/// <summary>The route this process runs with, why, and the verdict behind it if there is one.</summary>
public sealed record KernelRouteDecision(KernelRoute Route, KernelRouteSource Source, KernelVerdict? Verdict, string? Note = null)
{
    /// <summary>True when every route on the ladder failed the float64 check on this machine.</summary>
    public bool KnownBroken => Source is KernelRouteSource.Cache or KernelRouteSource.Probe && Verdict is { Verified: false };

    public string Describe() => Source switch
    {
        KernelRouteSource.Override => $"{Route} (set by {KernelRouting.RouteVariable})",
        KernelRouteSource.OneDnnVariable => $"{Route} (set by {KernelRoute.OneDnnIsaVariable})",
        KernelRouteSource.Cache or KernelRouteSource.Probe when KnownBroken => $"{Route}, but no route passed the float64 check on this CPU",
        KernelRouteSource.Cache => $"{Route} (verified on this CPU {Verdict!.CheckedAt:yyyy-MM-dd})",
        KernelRouteSource.Probe => $"{Route} (verified on this CPU just now)",
        _ => $"{Route} (unverified: {Note})",
    };
}
