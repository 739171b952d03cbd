using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>What a trial id may be, at the CLI and at the coordinator, and what a lease release frees.</summary>
public class TrialIdTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Theory]
    [InlineData("t1", true)]
    [InlineData("search_p3d.seed-3", true)]
    [InlineData("..", false)]
    [InlineData("../x", false)]
    [InlineData("a/b", false)]
    [InlineData("a..b", false)]
    [InlineData(".hidden", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    public void IdsArePlainFileNames(string id, bool valid)
    {
        Assert.Equal(valid, TrialId.Problem(id) is null);
        Assert.Equal(valid, TrialId.Problem(id + new string('x', 64 - id.Length)) is null && id.Length > 0);
        Assert.NotNull(TrialId.Problem(new string('a', 65)));
    }

    [Fact]
    public void DefaultIdsOfTheSameSecondDiffer()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => TrialId.New("trial")).ToList();
        Assert.All(ids, id => Assert.Null(TrialId.Problem(id)));
        Assert.True(ids.Distinct().Count() >= 19, string.Join(", ", ids));
    }

    [Fact]
    public void TheCliRefusesABadIdAsAUsageError()
    {
        var r = CliProcess.Run("submit", "--config", "search.json", "--dataset", data.Root, "--id", "../evil");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--id: trial id \"../evil\"", r.Stderr);
    }

    [Fact]
    public async Task TheCoordinatorRefusesABadIdAndAnExistingIdWithAnotherSpec()
    {
        using var state = new TempFolder("videonas-ids-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path, cpuSlots: 2);
        var config = (TinySearch.Network with { BatchSize = 4, Epochs = 1 }).ToJson();

        var bad = await Assert.ThrowsAsync<ArgumentException>(() =>
            cluster.Client.GetGrain<ITrialCoordinatorGrain>("..").Submit(new TrialSpec(config, data.Root, 1, state["bad"])));
        Assert.Contains("trial id \"..\"", bad.Message);

        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("same");
        var spec = new TrialSpec(config, data.Root, 1, state["same"]);
        await trial.Submit(spec);
        Assert.Equal("same", (await trial.Submit(spec)).TrialId);
        var other = await Assert.ThrowsAsync<ArgumentException>(() => trial.Submit(spec with { OutputDir = state["elsewhere"] }));
        Assert.Contains("already exists with another config", other.Message);
        await TrialWait.End(trial, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task ReleasingATrialFreesOnlyItsOwnDevices()
    {
        using var state = new TempFolder("videonas-leases-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path, cpuSlots: 2);
        string silo = (await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.Single().ToParsableString();
        var registry = cluster.Client.GetGrain<IDeviceRegistryGrain>(BoundKey.Of("devices", silo));

        Assert.NotNull(await registry.Lease(LeaseHolder.Of("a", 0)));
        Assert.NotNull(await registry.Lease(LeaseHolder.Of("ab", 0)));
        await registry.Release("a");

        Assert.Equal(["ab/0"], (await registry.List()).Select(s => s.Holder).OfType<string>());
    }
}
