using VideoNas.Core.DataPlane;
using VideoNas.Grains;

namespace VideoNas.Tests;

public class ShardCloseTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    /// <summary>
    /// Shard 0 steps, shard 1 never does, so shard 0 waits in the ring's all-reduce for a peer that will not
    /// come (as when the peer's silo died). The coordinator's Close must still get through and end the step.
    /// </summary>
    [Fact]
    public async Task AShardStuckInAnAllReduceCanBeClosed()
    {
        using var state = new TempFolder("videonas-close-");
        await using var cluster = await TestClusters.StartAsync(2, state.Path);
        var silos = (await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.Select(s => s.ToParsableString()).Order().ToList();
        var devices = new List<DeviceSlot>();
        for (int i = 0; i < 2; i++)
            devices.Add((await cluster.Client.GetGrain<IDeviceRegistryGrain>(BoundKey.Of("devices", silos[i])).Lease(LeaseHolder.Of("stuck", i)))!);
        var spec = new TrialSpec((TinySearch.Network with { BatchSize = 4, Epochs = 1 }).ToJson(), data.Root, 1, state["run"], Shards: 2);
        var shards = devices.Select((d, i) => cluster.Client.GetGrain<IShardWorkerGrain>(BoundKey.Of($"stuck/{i}", d.Silo))).ToList();
        var opened = await Task.WhenAll(shards.Select((s, i) => s.Open(new ShardSpec("stuck", i, 2, spec, devices[i], null))));
        var rings = RingSpec.Hierarchical("stuck/ring", opened.Select(o => o.Silo).ToList(), opened.Select(o => o.RingEndpoint).ToList(), GradientRing.NewSecret());
        await Task.WhenAll(shards.Select((s, i) => s.LinkRing(rings[i])));

        var step = shards[0].WeightStep();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(step.IsCompleted, "the step should be waiting for its peer");

        var close = shards[0].Close();
        Assert.Same(close, await Task.WhenAny(close, Task.Delay(TimeSpan.FromSeconds(20))));
        await close;
        await Assert.ThrowsAnyAsync<Exception>(() => step);
        // A closed shard (like a fresh activation of its key) says so with a fault the coordinator recovers from.
        var notOpen = await Assert.ThrowsAsync<ShardNotOpenException>(() => shards[0].WeightStep());
        Assert.Contains("stuck/0", notOpen.Message);
        await shards[1].Close();
    }
}
