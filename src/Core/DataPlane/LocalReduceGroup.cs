namespace VideoNas.Core.DataPlane;

/// <summary>
/// The shards of one process that average their gradients through memory first (hierarchical
/// all-reduce): all members hand in their buffers, the last to arrive sums them in local-rank order,
/// the leader's link (a ring among one leader per process, or none) averages those sums across
/// processes, and every member gets the global mean back. Only one buffer per process crosses the
/// network, so k shards on a silo cost the network what one does.
/// </summary>
public sealed class LocalReduceGroup : IDisposable
{
    private readonly Barrier _barrier;
    private readonly Memory<float>[] _buffers;
    private readonly CancellationTokenSource _broken = new();
    private readonly TimeSpan _timeout;
    private IGradientReducer _across = new SingleReplica();
    private float[] _sum = [];
    private string? _failure;

    /// <param name="members">Shards in this process.</param>
    /// <param name="replicas">Shards in the whole trial: the mean divides by this.</param>
    /// <param name="timeout">How long a member waits for the others before the group counts as broken.</param>
    public LocalReduceGroup(string name, int members, int replicas, TimeSpan timeout)
    {
        if (members < 1 || replicas < members) throw new ArgumentOutOfRangeException(nameof(members), $"{members} local shards of {replicas}");
        (Name, Replicas, _timeout) = (name, replicas, timeout);
        _buffers = new Memory<float>[members];
        _barrier = new Barrier(members, _ => Reduce());
    }

    public string Name { get; }
    public int Members => _buffers.Length;
    public int Replicas { get; }

    /// <summary>The leader's link to the other processes' leaders; its size is the number of processes.</summary>
    public void LinkAcross(IGradientReducer across) => _across = across;

    /// <summary>The reducer a member shard uses; every member calls it once per round, with equally long buffers.</summary>
    public IGradientReducer Member(int localRank)
    {
        if (localRank < 0 || localRank >= Members) throw new ArgumentOutOfRangeException(nameof(localRank), $"local rank {localRank} of {Members}");
        return new GroupMember(this, localRank);
    }

    /// <summary>Wakes every waiting member with a failure; the group is not used again (a recovery builds a new one).</summary>
    public void Break(string reason)
    {
        _failure ??= reason;
        _broken.Cancel();
    }

    private void Contribute(int localRank, Memory<float> data)
    {
        _buffers[localRank] = data;
        try
        {
            if (!_barrier.SignalAndWait(_timeout, _broken.Token))
            {
                Break($"a shard of this silo did not reach all-reduce within {_timeout.TotalSeconds:0} s");
                throw new RingBrokenException($"ring {Name}: {_failure}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new RingBrokenException($"ring {Name}: {_failure ?? "the silo's shard group was closed"}");
        }
        catch (BarrierPostPhaseException e)
        {
            Break(e.InnerException?.Message ?? e.Message);
            throw e.InnerException as RingBrokenException ?? new RingBrokenException($"ring {Name}: {_failure}", e);
        }
    }

    /// <summary>Runs once per round, on the last member to arrive, while the others wait.</summary>
    private void Reduce()
    {
        int length = _buffers[0].Length;
        if (_buffers.Any(b => b.Length != length))
            throw new RingBrokenException($"ring {Name}: the replicas have diverged: local buffers of {string.Join(", ", _buffers.Select(b => b.Length))} floats");
        if (_sum.Length != length) _sum = new float[length];
        var sum = _sum.AsSpan();
        _buffers[0].Span.CopyTo(sum);
        for (int m = 1; m < _buffers.Length; m++)
        {
            var b = _buffers[m].Span;
            for (int i = 0; i < sum.Length; i++) sum[i] += b[i];
        }
        // The link averages the per-process sums: × processes / replicas turns that into the global mean.
        _across.AllReduceMean(_sum);
        float scale = (float)_across.Size / Replicas;
        for (int i = 0; i < sum.Length; i++) sum[i] *= scale;
        foreach (var b in _buffers) sum.CopyTo(b.Span);
    }

    // The barrier and token stay undisposed: a member may still be waking from them.
    public void Dispose() => Break("the silo's shard group was closed");

    private sealed class GroupMember(LocalReduceGroup group, int localRank) : IGradientReducer
    {
        public int Size => group.Replicas;
        public void AllReduceMean(Memory<float> data) => group.Contribute(localRank, data);
        public void Dispose() { }
    }
}
