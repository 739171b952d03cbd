using Orleans.Runtime.Messaging;
using VideoNas.Core.DataPlane;

namespace VideoNas.Grains;

/// <summary>
/// The faults a restart from the checkpoint can cure: a shard's peer or silo gone (a broken ring, an
/// unreachable or rejecting silo, a call that timed out, a shard activation that lost its replica). Anything else (a bug, bad data, a config error,
/// NaN) would fail the same way again, so it fails the trial at once instead of after every retry.
/// </summary>
public static class TransientFaults
{
    public static bool Are(Exception e) => e switch
    {
        ShardPeerLostException or ShardNotOpenException or RingBrokenException or TimeoutException or SiloUnavailableException
            or OrleansMessageRejectionException or ConnectionFailedException or System.Net.Sockets.SocketException => true,
        AggregateException all => all.InnerExceptions.All(Are),
        _ => false,
    };
}
