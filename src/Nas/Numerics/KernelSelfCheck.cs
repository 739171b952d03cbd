using System.Diagnostics;

namespace VideoNas.Nas.Numerics;

/// <summary>The outcome of a whole catalogue under one route.</summary>
public sealed record KernelReport(string Route, double Seconds, IReadOnlyList<KernelCheckResult> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);

    public IReadOnlyList<KernelCheckResult> Failures => Checks.Where(c => !c.Passed).ToList();
}

public static class KernelSelfCheck
{
    /// <summary>Runs every check in this process, under whatever route is in force.</summary>
    /// <param name="untilFailure">stop at the first failure: enough to reject a route, which is all a probe of the route ladder needs</param>
    /// <param name="progress">told after every check: its position, the count, its result and how long it took</param>
    public static KernelReport Run(IReadOnlyList<KernelCheck>? checks = null, bool untilFailure = false, Action<int, int, KernelCheckResult, TimeSpan>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        PoisonFreedMemory();
        var all = checks ?? KernelCatalogue.All();
        var results = new List<KernelCheckResult>();
        foreach (var check in all)
        {
            long started = Stopwatch.GetTimestamp();
            results.Add(KernelCheckRunner.Run(check));
            progress?.Invoke(results.Count, all.Count, results[^1], Stopwatch.GetElapsedTime(started));
            if (untilFailure && !results[^1].Passed) break;
        }
        return new KernelReport(TorchRuntime.Kernels.Route.Name, watch.Elapsed.TotalSeconds, results);
    }

    /// <summary>
    /// Leaves NaN in memory the allocator will hand out again, so a kernel that reads an output or
    /// workspace element before writing it returns NaN instead of a plausible leftover.
    /// </summary>
    private static void PoisonFreedMemory()
    {
        using var nan = double.NaN.ToScalar();
        foreach (long mib in new[] { 1L, 4, 16 })
        {
            using var poison = full([mib * 262144], nan, ScalarType.Float32);
        }
    }
}
