using VideoNas.Core.DataPlane;
using VideoNas.Grains;
using VideoNas.Grains.DataPlane;

namespace VideoNas.Tests;

public class LocalReduceGroupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TwoSilosOfTwoAndOneShardsAllEndWithTheMeanOfAllThree()
    {
        // Silo A holds shards with [1, 10] and [2, 20], silo B one with [6, 60]: the mean of all three is [3, 30],
        // not the mean of the silos' means ([4, 40]).
        var leaders = await GradientRingTests.ConnectedRing(2, 64);
        var siloA = new LocalReduceGroup("a", members: 2, replicas: 3, Timeout);
        var siloB = new LocalReduceGroup("b", members: 1, replicas: 3, Timeout);
        siloA.LinkAcross(leaders[0]);
        siloB.LinkAcross(leaders[1]);
        float[][] buffers = [[1, 10], [2, 20], [6, 60]];
        var reducers = new[] { siloA.Member(0), siloA.Member(1), siloB.Member(0) };
        Assert.All(reducers, r => Assert.Equal(3, r.Size));
        for (int round = 0; round < 3; round++)
        {
            var data = buffers.Select(b => b.ToArray()).ToArray();
            await Task.WhenAll(reducers.Select((r, i) => Task.Run(() => r.AllReduceMean(data[i])))).WaitAsync(Timeout);
            Assert.All(data, d => Assert.Equal(new float[] { 3, 30 }, d));
        }
        foreach (var ring in leaders) ring.Dispose();
    }

    [Fact]
    public async Task AGroupAloneAveragesItsMembers()
    {
        var group = new LocalReduceGroup("solo", members: 2, replicas: 2, Timeout);
        float[] a = [1, -4], b = [3, 8];
        await Task.WhenAll(Task.Run(() => group.Member(0).AllReduceMean(a)), Task.Run(() => group.Member(1).AllReduceMean(b))).WaitAsync(Timeout);
        Assert.Equal(new float[] { 2, 2 }, a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task AMemberWaitingForAPeerThatNeverComesIsWokenWhenTheGroupCloses()
    {
        var groups = new LocalReduceGroups();
        var group = groups.Join("trial/ring", members: 2, replicas: 2, Timeout);
        Assert.Same(group, groups.Join("trial/ring", members: 2, replicas: 2, Timeout));
        var waiting = Task.Run(() => group.Member(0).AllReduceMean(new float[4]));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        groups.Leave("trial/ring");
        var e = await Assert.ThrowsAsync<RingBrokenException>(() => waiting.WaitAsync(Timeout));
        Assert.Contains("ring trial/ring", e.Message);
        Assert.NotSame(group, groups.Join("trial/ring", members: 2, replicas: 2, Timeout));
    }

    [Fact]
    public async Task MembersWithBuffersOfDifferentLengthsAreToldTheyHaveDiverged()
    {
        var group = new LocalReduceGroup("g", members: 2, replicas: 2, Timeout);
        var calls = new[] { Task.Run(() => group.Member(0).AllReduceMean(new float[3])), Task.Run(() => group.Member(1).AllReduceMean(new float[5])) };
        await Assert.ThrowsAsync<RingBrokenException>(() => Task.WhenAll(calls).WaitAsync(Timeout));
        Assert.All(calls, c => Assert.Contains("diverged", c.Exception!.InnerException!.Message));
    }

    [Fact]
    public void EachSilosLowestShardLeadsAndTheLeadersKeepShardOrderInTheRing()
    {
        var specs = RingSpec.Hierarchical("r", ["a", "b", "a", "b", "a"], ["e0", "e1", "e2", "e3", "e4"], GradientRing.NewSecret());
        Assert.Equal(new[] { 0, 1, -1, -1, -1 }, specs.Select(s => s.Rank));
        Assert.All(specs, s => Assert.Equal(new[] { "e0", "e1" }, s.Endpoints));
        Assert.Equal(new[] { 0, 0, 1, 1, 2 }, specs.Select(s => s.LocalRank));
        Assert.Equal(new[] { 3, 2, 3, 2, 3 }, specs.Select(s => s.LocalCount));
        Assert.All(specs, s => Assert.Equal(5, s.Replicas));
    }
}

public class StepTimingTests
{
    [Fact]
    public void WaitIsTheTimeAShardSpentInTheAllReduceForTheSlowestToArrive()
    {
        // Shard A computes 1.0 s and spends 0.5 s in the all-reduce, B computes 1.3 s and spends 0.2 s there:
        // A waited 0.3 s for B, and both then reduced for 0.2 s. Backward hid 0.4 s and 0.2 s of their reductions.
        StepMetrics[] call = [new(0, 0, 2, 1.0, 0.5, 1000, 0.4), new(0, 0, 2, 1.3, 0.2, 1000, 0.2)];
        var t = StepTiming.None.Add(1.6, [call]);
        Assert.Equal(1, t.Steps);
        Assert.Equal(1.6, t.StepSeconds, 9);
        Assert.Equal(1.15, t.ComputeSeconds, 9);
        Assert.Equal(0.15, t.WaitSeconds, 9);
        Assert.Equal(0.2, t.ReduceSeconds, 9);
        Assert.Equal(1000, t.BytesPerStep);
        Assert.Equal(0.3, t.OverlappedSeconds, 9);

        // A second step of two calls of 0.5 s compute each on one shard: the means run over steps.
        t = t.Add(1.0, [[new(0, 0, 2, 0.5, 0, 0)], [new(0, 0, 2, 0.5, 0, 0)]]);
        Assert.Equal((2, 1.3, 1.075, 0.075, 0.15), (t.Steps, Math.Round(t.StepSeconds, 9), Math.Round(t.ComputeSeconds, 9),
            Math.Round(t.WaitSeconds, 9), Math.Round(t.OverlappedSeconds, 9)));
    }
}
