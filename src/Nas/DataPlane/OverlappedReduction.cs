using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using VideoNas.Core.DataPlane;

namespace VideoNas.Nas.DataPlane;

/// <summary>
/// Buckets of tensors all-reduced in the order they are posted, on a thread of their own, while the
/// caller's thread goes on with the backward pass. Tensors are flattened on the caller's thread (the
/// only one that touches torch); the reducer's thread sees plain float arrays. Every replica must post
/// the same buckets in the same order, as every replica's staged backward does.
/// </summary>
internal sealed class OverlappedReduction : IDisposable
{
    private readonly BlockingCollection<Memory<float>> _queue = new();
    private readonly List<(IReadOnlyList<Tensor> Tensors, float[] Data, int Length)> _posted = [];
    private readonly Task _worker;
    private ExceptionDispatchInfo? _failure;
    private long _finishEnteredAt = long.MaxValue;

    /// <summary>Seconds the reducer spent on buckets before the caller had to wait for them.</summary>
    public double OverlappedSeconds { get; private set; }

    /// <summary>Seconds the caller waited in <see cref="Finish"/>: the part of the reduction backward did not hide.</summary>
    public double ExposedSeconds { get; private set; }

    public long Bytes { get; private set; }

    public OverlappedReduction(IGradientReducer reducer) =>
        _worker = Task.Factory.StartNew(() => Reduce(reducer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Flattens <paramref name="tensors"/> into one float32 buffer and queues its all-reduce.</summary>
    public void Post(IReadOnlyList<Tensor> tensors)
    {
        var (data, length) = ReplicaSync.Flatten(tensors, n => ArrayPool<float>.Shared.Rent(n));
        _posted.Add((tensors, data, length));
        Bytes += (long)length * sizeof(float);
        _queue.Add(data.AsMemory(0, length));
    }

    /// <summary>Waits for every bucket and writes the means back into the posted tensors; rethrows the reducer's failure.</summary>
    public void Finish()
    {
        long entered = Stopwatch.GetTimestamp();
        Volatile.Write(ref _finishEnteredAt, entered);
        _queue.CompleteAdding();
        _worker.Wait();
        _failure?.Throw();
        foreach (var (tensors, data, length) in _posted)
        {
            ReplicaSync.Scatter(data.AsSpan(0, length), tensors);
            ArrayPool<float>.Shared.Return(data);
        }
        _posted.Clear();
        ExposedSeconds = Stopwatch.GetElapsedTime(entered).TotalSeconds;
    }

    private void Reduce(IGradientReducer reducer)
    {
        foreach (var bucket in _queue.GetConsumingEnumerable())
        {
            // After a failure the ring is broken; the rest are drained so the caller's Finish returns.
            if (_failure is not null) continue;
            long started = Stopwatch.GetTimestamp();
            try
            {
                reducer.AllReduceMean(bucket);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            long ended = Stopwatch.GetTimestamp(), hiddenUntil = Math.Min(ended, Volatile.Read(ref _finishEnteredAt));
            if (hiddenUntil > started) OverlappedSeconds += Stopwatch.GetElapsedTime(started, hiddenUntil).TotalSeconds;
        }
    }

    /// <summary>
    /// Stops accepting buckets without waiting: after a failure on the caller's side, a bucket may be
    /// blocked on a peer until the ring is closed. Its arrays are left to the collector, not the pool.
    /// </summary>
    public void Dispose() => _queue.CompleteAdding();
}
