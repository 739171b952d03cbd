using System.Runtime.InteropServices;
using VideoNas.Core.DataPlane;

namespace VideoNas.Grains.DataPlane;

/// <summary>
/// A shard's side of the fallback data plane (<c>data_plane: orleans</c>): the buffer goes to the ring's
/// <see cref="IGradientExchangeGrain"/> as raw bytes (Orleans moves byte[] several times faster than
/// float[]), in messages of at most 16 MiB, far below Orleans' 100 MB message limit, all in flight at
/// once. It blocks the calling thread, which is the shard's tensor thread, never a grain's.
/// </summary>
internal sealed class OrleansGradientExchange(IGrainFactory grains, int size) : IGradientReducer
{
    private const int ChunkFloats = 4 << 20;
    public const int ChunkBytes = ChunkFloats * sizeof(float);
    private IGradientExchangeGrain? _exchange;
    private int _rank;
    private long _round;

    public int Size => size;

    /// <summary>Joins ring <paramref name="ringId"/> as <paramref name="rank"/>; rounds count from zero on every ring.</summary>
    public void Link(string ringId, int rank)
    {
        (_exchange, _rank, _round) = (grains.GetGrain<IGradientExchangeGrain>(ringId), rank, 0);
    }

    public void AllReduceMean(Memory<float> data)
    {
        var exchange = _exchange ?? throw new InvalidOperationException("the gradient exchange is not linked to a ring yet");
        var chunks = new List<(Memory<float> Chunk, Task<byte[]> Mean)>();
        for (int offset = 0; offset < data.Length; offset += ChunkFloats)
        {
            var chunk = data.Slice(offset, Math.Min(ChunkFloats, data.Length - offset));
            chunks.Add((chunk, exchange.AllReduceMean(_rank, size, _round++, MemoryMarshal.AsBytes(chunk.Span).ToArray())));
        }
        foreach (var (chunk, mean) in chunks) MemoryMarshal.Cast<byte, float>(mean.GetAwaiter().GetResult()).CopyTo(chunk.Span);
    }

    public void Dispose()
    {
    }
}
