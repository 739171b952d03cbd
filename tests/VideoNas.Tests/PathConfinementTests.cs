using VideoNas.Core;
using VideoNas.Grains;
using VideoNas.Grains.DataPlane;

namespace VideoNas.Tests;

/// <summary>What a caller of the gateway can make a silo read, write or hold.</summary>
public class PathConfinementTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly string Config = (TinySearch.Network with { BatchSize = 4, Epochs = 1 }).ToJson();

    [Fact]
    public void PathsResolveBeforeTheyAreCompared()
    {
        using var root = new TempFolder("videonas-root-");
        using var outside = new TempFolder("videonas-outside-");
        Directory.CreateDirectory(root["inside"]);
        Assert.Equal(root["inside"], ConfinedPath.Require(root["inside"], [root.Path], "dataset", "VideoNas:DataRoots"));
        var up = Assert.Throws<ArgumentException>(() => ConfinedPath.Require(Path.Combine(root.Path, "..", "x"), [root.Path], "dataset", "VideoNas:DataRoots"));
        Assert.Contains($"is outside VideoNas:DataRoots ({root.Path})", up.Message);
        Directory.CreateSymbolicLink(root["link"], outside.Path);
        Assert.Throws<ArgumentException>(() => ConfinedPath.Require(root["link"], [root.Path], "dataset", "VideoNas:DataRoots"));
        Assert.Throws<ArgumentException>(() => ConfinedPath.Require(root.Path + "-sibling", [root.Path], "dataset", "VideoNas:DataRoots"));
    }

    [Fact]
    public async Task ASiloWithRootsRefusesTrialsAndShardsThatReachOutsideThem()
    {
        using var state = new TempFolder("videonas-roots-");
        Directory.CreateDirectory(state["runs"]);
        var paths = new PathOptions { DataRoots = [data.Root], OutputRoot = state["runs"] };
        await using var cluster = await TestClusters.StartAsync(1, state.Path, paths: paths);
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("confined");

        var output = await Assert.ThrowsAsync<ArgumentException>(() => trial.Submit(new TrialSpec(Config, data.Root, 1, "/tmp/elsewhere")));
        Assert.Contains($"output folder /tmp/elsewhere is outside VideoNas:OutputRoot ({state["runs"]})", output.Message);
        var dataset = await Assert.ThrowsAsync<ArgumentException>(() => trial.Submit(new TrialSpec(Config, state.Path, 1, state["runs"])));
        Assert.Contains("is outside VideoNas:DataRoots", dataset.Message);

        // A shard called directly, as any gateway client could: its spec and checkpoint paths are checked too.
        string silo = (await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.Single().ToParsableString();
        var device = new DeviceSlot(silo, "cpu", 0, null);
        var shard = cluster.Client.GetGrain<IShardWorkerGrain>(BoundKey.Of("confined/0", silo));
        await Assert.ThrowsAsync<ArgumentException>(() => shard.Open(new ShardSpec("confined", 0, 1, new TrialSpec(Config, data.Root, 1, "/tmp/elsewhere"), device)));
        var spec = new TrialSpec(Config, data.Root, 1, state["runs/confined"]);
        await shard.Open(new ShardSpec("confined", 0, 1, spec, device));
        var write = await Assert.ThrowsAsync<ArgumentException>(() => shard.SaveCheckpoint("/tmp/evil.ckpt", 1));
        Assert.Contains("a shard writes and reads only step-NNNNNNNN.ckpt files in its trial's folder", write.Message);
        string allowed = Path.Combine(state["runs/confined"], "checkpoints", "step-00000001.ckpt");
        await shard.SaveCheckpoint(allowed, 1);
        Assert.True(File.Exists(allowed));
        await shard.Close();
    }

    [Fact]
    public async Task TheGradientExchangeBoundsWhatOneCallerCanMakeItHold()
    {
        using var state = new TempFolder("videonas-exchange-bounds-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path);
        var exchange = cluster.Client.GetGrain<IGradientExchangeGrain>("bounded");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => exchange.AllReduceMean(0, int.MaxValue, 1, new byte[4]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => exchange.AllReduceMean(0, 2, 1, new byte[GradientExchangeGrain.MaxPartBytes + 4]));
    }
}
