using Orleans.Runtime;
using VideoNas.Core.DataPlane;
using VideoNas.Grains;

namespace VideoNas.Tests;

public class TransientFaultTests
{
    public static TheoryData<Exception, bool> Faults => new()
    {
        { new ShardPeerLostException("shard t/1: ring r: rank 1 lost a neighbour"), true },
        { new RingBrokenException("ring r: rank 0's predecessor closed the connection"), true },
        { new ShardNotOpenException("shard t/0|silo is not open"), true },
        { new TimeoutException("the call timed out"), true },
        { new SiloUnavailableException("silo gone"), true },
        { new AggregateException(new TimeoutException(), new ShardPeerLostException("x")), true },
        // Plain bugs and errors a restart would only repeat: the trial fails at once.
        { new InvalidOperationException("a bug"), false },
        { new KeyNotFoundException("no such tensor"), false },
        { new InvalidDataException("too many bad clips"), false },
        { new ArgumentException("bad spec"), false },
        { new AggregateException(new TimeoutException(), new InvalidOperationException("a bug")), false },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void OnlyLostPeersAndSilosAreRetried(Exception fault, bool transient) => Assert.Equal(transient, TransientFaults.Are(fault));
}
