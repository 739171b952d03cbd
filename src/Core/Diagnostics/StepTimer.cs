using System.Diagnostics;

namespace VideoNas.Core.Diagnostics;

public static class StepTimer
{
    /// <summary>
    /// Times <paramref name="steps"/> runs of <paramref name="step"/> and returns the median seconds: one slow step
    /// (a page fault, the allocator growing) does not move it, as it moves a mean.
    /// </summary>
    /// <param name="afterStep">Called after each step with its 1-based number, outside the timing.</param>
    public static double MedianSeconds(int steps, Action step, Action<int>? afterStep = null)
    {
        var times = new List<double>();
        for (int i = 1; i <= steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            afterStep?.Invoke(i);
        }
        return Median.Of(times);
    }
}
