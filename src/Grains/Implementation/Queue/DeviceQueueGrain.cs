namespace VideoNas.Grains.Queue;

/// <summary>The cluster's device queue (key 0), in memory: waiting trials renew their entries every poll.</summary>
public sealed class DeviceQueueGrain : Grain, IDeviceQueueGrain
{
    /// <summary>Several polls long, so a trial is not dropped for one slow poll.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly DeviceQueue _queue = new(Expiry);

    public Task<int> Wait(QueueEntry entry)
    {
        // Entries live in memory: stay active while trials wait.
        DelayDeactivation(TimeSpan.FromMinutes(10));
        return Task.FromResult(_queue.Wait(entry, DateTime.UtcNow));
    }

    public Task Leave(string trialId)
    {
        _queue.Leave(trialId);
        return Task.CompletedTask;
    }
}
