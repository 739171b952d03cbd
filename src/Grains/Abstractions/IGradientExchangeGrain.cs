namespace VideoNas.Grains;

/// <summary>
/// The fallback gradient data plane, for clusters where shards cannot open TCP connections to each
/// other: every shard of one ring (key: the ring id) sends its buffer, as raw float32 bytes, and gets
/// back the element-wise mean once all have. Slower than the TCP ring (an Orleans message moves bulk
/// data at a fraction of a socket's speed) but it needs nothing the control plane does not.
/// </summary>
public interface IGradientExchangeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Contributes <paramref name="values"/> (float32, little-endian) as <paramref name="rank"/> of
    /// <paramref name="size"/> to round <paramref name="round"/>; answers with the round's mean. A peer that
    /// never contributes fails the others after the timeout, as a silent TCP peer does.
    /// </summary>
    [ResponseTimeout("00:01:00")]
    Task<byte[]> AllReduceMean(int rank, int size, long round, byte[] values);
}
