using System.Runtime.InteropServices;
using Orleans.Concurrency;

namespace VideoNas.Grains.DataPlane;

/// <summary>
/// Collects one round's contributions and answers every contributor with their mean, summed in rank
/// order so that the result does not depend on who arrived first. Reentrant: a contributor's call waits
/// for the others' inside the grain.
/// </summary>
[Reentrant]
public sealed class GradientExchangeGrain : Grain, IGradientExchangeGrain
{
    /// <summary>Bounds on what one caller can make this grain hold: replicas, bytes per part, rounds open at once.</summary>
    public const int MaxReplicas = 1024, MaxPartBytes = OrleansGradientExchange.ChunkBytes, MaxOpenRounds = 16;

    private readonly Dictionary<long, Round> _rounds = [];

    public Task<byte[]> AllReduceMean(int rank, int size, long round, byte[] values)
    {
        if (size < 1 || size > MaxReplicas || rank < 0 || rank >= size)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of {size}: ranks run from 0 to size - 1, size from 1 to {MaxReplicas}");
        if (values.Length > MaxPartBytes || values.Length % sizeof(float) != 0)
            throw new ArgumentOutOfRangeException(nameof(values), $"{values.Length} bytes: a part holds whole floats, at most {MaxPartBytes} bytes");
        if (!_rounds.ContainsKey(round) && _rounds.Count >= MaxOpenRounds)
            throw new InvalidOperationException($"ring {this.GetPrimaryKeyString()}: {MaxOpenRounds} rounds are open already; the replicas have diverged");
        if (!_rounds.TryGetValue(round, out var r)) _rounds[round] = r = new Round(size, values.Length);
        if (r.Parts.Length != size || r.Length != values.Length)
            return Fail(round, r, $"rank {rank} sent {values.Length} bytes as one of {size}, others {r.Length} bytes as one of {r.Parts.Length}; the replicas have diverged");
        if (r.Parts[rank] is not null) return Fail(round, r, $"rank {rank} contributed twice");
        r.Parts[rank] = values;
        if (++r.Count == size)
        {
            _rounds.Remove(round);
            r.Done.SetResult(r.Mean());
        }
        return r.Done.Task;
    }

    /// <summary>Fails everyone in the round at once: waiting for the timeout would only delay the same error.</summary>
    private Task<byte[]> Fail(long round, Round r, string problem)
    {
        _rounds.Remove(round);
        r.Done.TrySetException(new InvalidOperationException($"ring {this.GetPrimaryKeyString()} round {round}: {problem}"));
        return r.Done.Task;
    }

    private sealed class Round(int size, int length)
    {
        public byte[]?[] Parts { get; } = new byte[]?[size];
        public int Length { get; } = length;
        public int Count { get; set; }
        public TaskCompletionSource<byte[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Mean()
        {
            var sum = new float[Length / sizeof(float)];
            foreach (var part in Parts)
            {
                var values = MemoryMarshal.Cast<byte, float>(part);
                for (int i = 0; i < sum.Length; i++) sum[i] += values[i];
            }
            float scale = 1f / Parts.Length;
            for (int i = 0; i < sum.Length; i++) sum[i] *= scale;
            return MemoryMarshal.AsBytes(sum.AsSpan()).ToArray();
        }
    }
}
