using System.Collections.Concurrent;
using System.Diagnostics;

namespace VideoNas.Core;

/// <summary>
/// A thread of its own for long blocking work, run piece by piece, each to completion, while callers await
/// the result. A shard's tensor work runs on one: long torch calls must not run on a scheduler that also
/// serves messages (Orleans' would starve), and TorchSharp dispose scopes are thread-static. The ring's
/// sends run on another.
/// </summary>
public sealed class DedicatedThread : IDisposable
{
    /// <summary>Work queued behind the piece running; callers wait for each piece, so more means a runaway caller.</summary>
    public const int Capacity = 16;

    private readonly BlockingCollection<Action> _queue = new(Capacity);
    private readonly Thread _thread;

    public DedicatedThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="work"/>; it runs under the caller's trace span, so its own spans join the caller's trace.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var span = Activity.Current;
        bool queued = _queue.TryAdd(() =>
        {
            Activity.Current = span;
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            finally
            {
                Activity.Current = null;
            }
        });
        if (!queued) throw new InvalidOperationException($"{_thread.Name}: {Capacity} pieces of work are queued already; refusing more");
        return done.Task;
    }

    public Task Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    private void Loop()
    {
        foreach (var work in _queue.GetConsumingEnumerable()) work();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _queue.Dispose();
    }
}
