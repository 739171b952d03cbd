namespace VideoNas.Grains;

/// <summary>
/// A trial waiting for devices: higher <see cref="Priority"/> first, then the earlier submission, then the id,
/// so the order is the same whichever silo holds the queue and however often it is rebuilt.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Priority,
    [property: Id(2)] DateTime SubmittedUtc);

/// <summary>
/// The cluster's one queue of trials waiting for devices (key 0). It lives in memory: a waiting trial
/// renews its entry every poll, so if the queue's silo dies, the next activation has the same entries,
/// in the same order, a poll later; an entry not renewed for a while belongs to a trial that is gone.
/// </summary>
public interface IDeviceQueueGrain : IGrainWithIntegerKey
{
    /// <summary>Enters or renews <paramref name="entry"/> and returns how many live entries are ahead of it.</summary>
    Task<int> Wait(QueueEntry entry);

    /// <summary>Removes the trial's entry (it got its devices, or stopped waiting).</summary>
    Task Leave(string trialId);
}
