namespace VideoNas.Grains.Queue;

/// <summary>
/// The order of trials waiting for devices, without Orleans: priority, then submission time, then id. An
/// entry its trial has not renewed within the expiry is dropped, since a waiting trial renews it every poll.
/// </summary>
public sealed class DeviceQueue(TimeSpan expiry)
{
    private readonly Dictionary<string, (QueueEntry Entry, DateTime Seen)> _entries = new(StringComparer.Ordinal);

    public static readonly IComparer<QueueEntry> Order = Comparer<QueueEntry>.Create((a, b) =>
        b.Priority != a.Priority ? b.Priority.CompareTo(a.Priority)
        : a.SubmittedUtc != b.SubmittedUtc ? a.SubmittedUtc.CompareTo(b.SubmittedUtc)
        : string.CompareOrdinal(a.TrialId, b.TrialId));

    /// <summary>Enters or renews the entry at <paramref name="now"/>; returns how many live entries are ahead of it.</summary>
    public int Wait(QueueEntry entry, DateTime now)
    {
        _entries[entry.TrialId] = (entry, now);
        return Live(now).Count(e => Order.Compare(e, entry) < 0);
    }

    public void Leave(string trialId) => _entries.Remove(trialId);

    public IReadOnlyList<QueueEntry> List(DateTime now) => Live(now).Order(Order).ToList();

    private List<QueueEntry> Live(DateTime now)
    {
        foreach (var id in _entries.Where(e => now - e.Value.Seen > expiry).Select(e => e.Key).ToList()) _entries.Remove(id);
        return _entries.Values.Select(e => e.Entry).ToList();
    }
}
