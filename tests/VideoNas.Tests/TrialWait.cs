using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>Polls a trial's status until a condition holds, for every test that follows a trial.</summary>
public static class TrialWait
{
    /// <summary>
    /// Calls may fail while a cluster reacts to a fault, so failures are retried until the deadline; a trial
    /// that ends without the condition, or a deadline that passes, throws with the last status.
    /// </summary>
    public static async Task<TrialStatus> Until(ITrialCoordinatorGrain trial, Func<TrialStatus, bool> condition, string what,
        TimeSpan patience, ITestOutputHelper? log = null)
    {
        var deadline = DateTime.UtcNow + patience;
        TrialStatus? last = null;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await trial.GetStatus();
                if (condition(last))
                {
                    log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} {trial.GetPrimaryKeyString()}: {what} (step {last.Step}, {last.State}, {last.Notice})");
                    return last;
                }
                if (last.State.IsTerminal()) break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"gave up waiting for {what}: last status {last?.State} step {last?.Step} notice {last?.Notice} " +
            $"error {last?.Error}; last call error {lastError?.Message}");
    }

    /// <summary>The trial's final status, whatever state it ended in.</summary>
    public static Task<TrialStatus> End(ITrialCoordinatorGrain trial, TimeSpan patience, ITestOutputHelper? log = null) =>
        Until(trial, s => s.State.IsTerminal(), "the end", patience, log);
}
