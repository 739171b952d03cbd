using VideoNas.Grains;
using VideoNas.Grains.Queue;

namespace VideoNas.Tests;

public class DeviceQueueTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void OrdersByPriorityThenSubmissionThenId()
    {
        var queue = new DeviceQueue(TimeSpan.FromSeconds(15));
        var early = new QueueEntry("early", 0, T0);
        var late = new QueueEntry("late", 0, T0.AddSeconds(5));
        var urgent = new QueueEntry("urgent", 5, T0.AddSeconds(9));
        var twin = new QueueEntry("early-twin", 0, T0);
        Assert.Equal(0, queue.Wait(late, T0));
        Assert.Equal(0, queue.Wait(early, T0));
        Assert.Equal(1, queue.Wait(late, T0));
        Assert.Equal(0, queue.Wait(urgent, T0));
        Assert.Equal(2, queue.Wait(twin, T0));
        Assert.Equal(["urgent", "early", "early-twin", "late"], queue.List(T0).Select(e => e.TrialId));
    }

    [Fact]
    public void DropsEntriesNotRenewedAndThoseThatLeft()
    {
        var queue = new DeviceQueue(TimeSpan.FromSeconds(15));
        var first = new QueueEntry("first", 0, T0);
        var second = new QueueEntry("second", 0, T0.AddSeconds(1));
        var third = new QueueEntry("third", 0, T0.AddSeconds(2));
        queue.Wait(first, T0);
        queue.Wait(second, T0);
        Assert.Equal(2, queue.Wait(third, T0));
        // The first trial's coordinator died: nobody renews its entry.
        Assert.Equal(1, queue.Wait(second, T0.AddSeconds(10)));
        Assert.Equal(1, queue.Wait(third, T0.AddSeconds(16)));
        queue.Leave("second");
        Assert.Equal(0, queue.Wait(third, T0.AddSeconds(17)));
    }
}
