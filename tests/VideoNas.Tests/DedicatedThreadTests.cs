using System.Diagnostics;
using VideoNas.Core;

namespace VideoNas.Tests;

public class DedicatedThreadTests
{
    [Fact]
    public async Task WorkRunsInOrderUnderTheCallersSpanAndARunawayQueueIsRefused()
    {
        using var thread = new DedicatedThread("test thread");
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocked = thread.Run(() =>
        {
            running.Set();
            return release.Wait(TimeSpan.FromSeconds(30));
        });
        // Off the queue and running: the queue is empty now.
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)));
        var queued = Enumerable.Range(0, DedicatedThread.Capacity).Select(i => thread.Run(() => i)).ToList();
        // Refused at once, when queued, not later through the task.
        InvalidOperationException? refused = null;
        try
        {
            _ = thread.Run(() => -1);
        }
        catch (InvalidOperationException e)
        {
            refused = e;
        }
        Assert.NotNull(refused);
        Assert.Equal($"test thread: {DedicatedThread.Capacity} pieces of work are queued already; refusing more", refused.Message);

        release.Set();
        await blocked;
        Assert.Equal(Enumerable.Range(0, DedicatedThread.Capacity), await Task.WhenAll(queued));

        using var source = new ActivitySource("test");
        using var listener = new ActivityListener { ShouldListenTo = s => s == source, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(listener);
        using var span = source.StartActivity("caller")!;
        Assert.Same(span, await thread.Run(() => Activity.Current));
    }
}
