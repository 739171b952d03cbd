using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>Polls an experiment until it ends, handing every status it saw to the test (calls that fail while a cluster recovers are retried).</summary>
public static class ExperimentWait
{
    public static async Task<ExperimentStatus> End(IExperimentGrain experiment, TimeSpan patience, Action<ExperimentStatus>? seen = null, ITestOutputHelper? log = null)
    {
        var deadline = DateTime.UtcNow + patience;
        ExperimentStatus? last = null;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await experiment.GetStatus();
                seen?.Invoke(last);
                if (last.State.IsTerminal()) return last;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not Xunit.Sdk.XunitException)
            {
                lastError = e;
                log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} status call failed: {e.Message}");
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"experiment did not end in {patience}: last {last?.State}, " +
            $"trials {string.Join("; ", last?.Trials.Select(t => $"{t.Seed} {t.State} {t.Waiting}") ?? [])}; last call error {lastError?.Message}");
    }

    /// <summary>The most trials whose [start, end] intervals overlap at one instant.</summary>
    public static int MostAtOnce(ExperimentStatus done)
    {
        var events = done.Trials.Select(t => t.Status!).SelectMany(s => new[] { (At: s.StartedUtc!.Value, Delta: 1), (At: s.EndedUtc!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var e in events) most = Math.Max(most, now += e.Delta);
        return most;
    }
}
