using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using VideoNas.Core.DataPlane;

namespace VideoNas.Tests;

public class GradientRingTests
{
    private static readonly byte[] Secret = GradientRing.NewSecret();

    [Fact]
    public void SegmentsDifferByAtMostOneAndChunksCoverThem()
    {
        var schedule = new RingSchedule(length: 10, members: 3, chunkFloats: 3);
        Assert.Equal((0, 4), schedule.Segment(0));
        Assert.Equal((4, 3), schedule.Segment(1));
        Assert.Equal((7, 3), schedule.Segment(2));
        Assert.Equal([(0, 3), (3, 1)], schedule.Chunks(0));
        Assert.Equal(4, schedule.Steps);
        // Member 1 sends its own segment first, receives member 0's, and after N−1 steps holds segment 2 complete.
        Assert.Equal(1, schedule.SendSegment(1, 0));
        Assert.Equal(0, schedule.ReceiveSegment(1, 0));
        Assert.Equal(2, schedule.ReceiveSegment(1, 1));
        Assert.True(schedule.IsLastReduceStep(1));
        Assert.False(schedule.IsReduceStep(2));
    }

    /// <summary>Member r holds r·1000 + i at index i, so the mean of ranks 0..N−1 is 500·(N−1) + i, exactly.</summary>
    [Theory]
    [InlineData(2, 1001, 64)]
    [InlineData(3, 1001, 64)]
    [InlineData(4, 2, 64)] // fewer elements than members: some segments are empty
    [InlineData(3, 100_000, GradientRing.DefaultChunkBytes)]
    public async Task EveryMemberEndsWithTheSameExactMean(int members, int length, int chunkBytes)
    {
        var rings = await ConnectedRing(members, chunkBytes);
        try
        {
            var buffers = Enumerable.Range(0, members).Select(r => Enumerable.Range(0, length).Select(i => r * 1000f + i).ToArray()).ToArray();
            // Twice, to check that consecutive all-reduces on one ring stay in step.
            for (int round = 0; round < 2; round++)
                await Task.WhenAll(rings.Select((ring, r) => Task.Run(() => ring.AllReduceMean(buffers[r]))));
            var expected = Enumerable.Range(0, length).Select(i => 500f * (members - 1) + i).ToArray();
            foreach (var buffer in buffers) Assert.Equal(expected, buffer);
        }
        finally
        {
            foreach (var ring in rings) ring.Dispose();
        }
    }

    [Fact]
    public async Task AMemberThatVanishesBreaksTheRingForTheOthersInsteadOfHangingThem()
    {
        var rings = await ConnectedRing(3, 64);
        rings[2].Dispose();
        var survivors = rings.Take(2).Select(ring => Task.Run(() => ring.AllReduceMean(new float[1000]))).ToArray();
        foreach (var survivor in survivors)
        {
            var e = await Assert.ThrowsAsync<RingBrokenException>(() => survivor.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("ring test", e.Message);
        }
        foreach (var ring in rings) ring.Dispose();
    }

    [Fact]
    public async Task ReplicasThatDisagreeOnTheBufferLengthAreToldTheyHaveDiverged()
    {
        var rings = await ConnectedRing(2, 64);
        var calls = new[] { Task.Run(() => rings[0].AllReduceMean(new float[10])), Task.Run(() => rings[1].AllReduceMean(new float[12])) };
        await Assert.ThrowsAsync<RingBrokenException>(() => Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30)));
        // Both fail; the one that reads the other's header first says why, and its closing the link may
        // reset the connection before the other has read the header that would have told it the same.
        Assert.All(calls, c => Assert.IsType<RingBrokenException>(c.Exception?.InnerException));
        Assert.Contains(calls, c => c.Exception!.InnerException!.Message.Contains("diverged"));
        foreach (var ring in rings) ring.Dispose();
    }

    [Fact]
    public async Task AConnectionFromAnotherRingIsRefused()
    {
        // Only the stranger gives up quickly; a and b keep the usual patience, since their all-reduce below
        // shares two cores with the rest of the suite and a 2 s socket timeout once expired there.
        using var a = GradientRing.Listen(timeout: TimeSpan.FromSeconds(20));
        using var b = GradientRing.Listen(timeout: TimeSpan.FromSeconds(20));
        using var stranger = GradientRing.Listen(timeout: TimeSpan.FromSeconds(2));
        RingEndpoint[] members = [a.LocalEndpoint, b.LocalEndpoint];
        // The stranger dials a as if it were a's predecessor, but in another ring; a must keep waiting for b.
        var strangerJoin = stranger.ConnectAsync("old", 1, [a.LocalEndpoint, stranger.LocalEndpoint], Secret);
        var aJoin = a.ConnectAsync("new", 0, members, Secret);
        await Task.Delay(300);
        Assert.False(aJoin.IsCompleted);
        await b.ConnectAsync("new", 1, members, Secret);
        await aJoin;
        await Assert.ThrowsAsync<RingBrokenException>(() => strangerJoin);
        await AssertTheyReduce(a, b);
    }

    [Fact]
    public async Task StrangersWhoStaySilentSendGarbageOrLackTheSecretDoNotHoldOffThePredecessor()
    {
        using var a = GradientRing.Listen(timeout: TimeSpan.FromSeconds(20));
        using var b = GradientRing.Listen(timeout: TimeSpan.FromSeconds(20));
        using var impostor = GradientRing.Listen(timeout: TimeSpan.FromSeconds(20));
        RingEndpoint[] members = [a.LocalEndpoint, b.LocalEndpoint];
        var aJoin = a.ConnectAsync("ring", 0, members, Secret);

        using var silent = new TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, a.LocalEndpoint.Port);
        using var garbage = new TcpClient();
        await garbage.ConnectAsync(IPAddress.Loopback, a.LocalEndpoint.Port);
        await garbage.GetStream().WriteAsync(RandomNumberGenerator.GetBytes(64));
        // Knows the ring's id and the predecessor's rank, not its secret.
        _ = impostor.ConnectAsync("ring", 1, [a.LocalEndpoint, impostor.LocalEndpoint], GradientRing.NewSecret());
        await Task.Delay(500);
        Assert.False(aJoin.IsCompleted);

        var watch = Stopwatch.StartNew();
        await b.ConnectAsync("ring", 1, members, Secret);
        await aJoin;
        Assert.True(watch.Elapsed < GradientRing.HandshakeTimeout, $"the real predecessor waited {watch.Elapsed.TotalSeconds:0.0} s");
        await AssertTheyReduce(a, b);
    }

    [Fact]
    public async Task EveryAllReduceOfARingSendsFromTheSameLongLivedThread()
    {
        var rings = await ConnectedRing(2, 1024);
        try
        {
            var senders = new List<int>();
            for (int call = 0; call < 5; call++)
            {
                await Task.WhenAll(rings.Select(r => Task.Run(() => r.AllReduceMean(new float[512]))));
                senders.Add(rings[0].LastSenderThreadId);
            }
            Assert.Single(senders.Distinct());
            Assert.NotEqual(0, senders[0]);
        }
        finally
        {
            foreach (var r in rings) r.Dispose();
        }
    }

    /// <summary>Two linked members average what they hold.</summary>
    private static async Task AssertTheyReduce(GradientRing a, GradientRing b)
    {
        var x = new float[] { 1, 2 };
        var y = new float[] { 3, 6 };
        await Task.WhenAll(Task.Run(() => a.AllReduceMean(x)), Task.Run(() => b.AllReduceMean(y)));
        Assert.Equal([2f, 4f], x);
    }

    internal static async Task<GradientRing[]> ConnectedRing(int members, int chunkBytes)
    {
        var rings = Enumerable.Range(0, members).Select(_ => GradientRing.Listen(chunkBytes: chunkBytes, timeout: TimeSpan.FromSeconds(20))).ToArray();
        var endpoints = rings.Select(r => r.LocalEndpoint).ToArray();
        await Task.WhenAll(rings.Select((ring, rank) => ring.ConnectAsync("test", rank, endpoints, Secret)));
        return rings;
    }
}
