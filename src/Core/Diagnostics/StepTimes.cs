namespace VideoNas.Core.Diagnostics;

public static class StepTimes
{
    /// <summary>The median step: one slow step (a page fault, the allocator growing) does not move it, as it moves a mean.</summary>
    public static double Median(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0) throw new ArgumentException("no steps were timed", nameof(seconds));
        var sorted = seconds.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
