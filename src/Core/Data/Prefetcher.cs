using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace VideoNas.Core.Data;

/// <summary>
/// Produces a sequence of items on a background thread, up to <c>depth</c> ahead of the consumer.
/// Each item is a pure function of the state before it, so the sequence is the same with or without
/// prefetching, and the consumer can always say where it stands (the state after its last item) even
/// though the producer is further on. A producer failure is rethrown at the item it would have been.
/// </summary>
public sealed class Prefetcher<TState, TItem> : IDisposable
{
    private readonly Func<TState, (TItem Item, TState Next)> _produce;
    private readonly Channel<(TItem Item, TState After, ExceptionDispatchInfo? Error)>? _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _producer;
    private TState _state;

    /// <param name="depth">Items produced ahead; 0 produces each on the consumer's thread when asked.</param>
    public Prefetcher(TState start, Func<TState, (TItem Item, TState Next)> produce, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        (_state, _produce) = (start, produce);
        if (depth == 0) return;
        _queue = Channel.CreateBounded<(TItem, TState, ExceptionDispatchInfo?)>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        _producer = Task.Factory.StartNew(() => Produce(start), TaskCreationOptions.LongRunning);
    }

    /// <summary>The state after the last item returned by <see cref="Next"/>.</summary>
    public TState State => _state;

    public TItem Next()
    {
        if (_queue is null)
        {
            (var item, _state) = _produce(_state);
            return item;
        }
        var (next, after, error) = _queue.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
        error?.Throw();
        _state = after;
        return next;
    }

    private void Produce(TState state)
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                (TItem, TState, ExceptionDispatchInfo?) entry;
                try
                {
                    var (item, next) = _produce(state);
                    entry = (item, next, null);
                    state = next;
                }
                catch (Exception e)
                {
                    entry = (default!, state, ExceptionDispatchInfo.Capture(e));
                }
                _queue!.Writer.WriteAsync(entry, token).AsTask().GetAwaiter().GetResult();
                if (entry.Item3 is not null) return;
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting for room in the queue.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _producer?.Wait();
        _stop.Dispose();
    }
}
