using VideoNas.Grains;
using VideoNas.Grains.Storage;

namespace VideoNas.Tests;

public class TrialKeeperTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    /// <summary>
    /// Two unfinished trials left in a state folder, as a crash leaves them: the first cannot activate (its
    /// stored config is broken), the second can. The keeper must wake the second all the same; nothing else
    /// calls it here (the test watches only the registry).
    /// </summary>
    [Fact]
    public async Task OneTrialThatCannotActivateDoesNotKeepTheOthersAsleep()
    {
        using var state = new TempFolder("videonas-keeper-");
        var storage = new FileGrainStorage(state.Path);
        await storage.WriteStateAsync("registry", GrainId.Create("trialregistry", "0"), new GrainState<TrialRegistryState>(
            new TrialRegistryState { TrialIds = ["broken", "waking"], Unfinished = ["broken", "waking"] }));
        await storage.WriteStateAsync("trial", GrainId.Create("trialcoordinator", "broken"), new GrainState<TrialRecord>(
            new TrialRecord { Spec = new TrialSpec("{ not json", data.Root, 1, state["broken"]), State = TrialState.Running, Epochs = 1 }));
        var config = (TinySearch.Network with { BatchSize = 4, Epochs = 1 }).ToJson();
        await storage.WriteStateAsync("trial", GrainId.Create("trialcoordinator", "waking"), new GrainState<TrialRecord>(
            new TrialRecord { Spec = new TrialSpec(config, data.Root, 1, state["waking"]), State = TrialState.Running, Epochs = 1 }));

        await using var cluster = await TestClusters.StartAsync(1, state.Path, keeperInterval: TimeSpan.FromSeconds(1));
        var registry = cluster.Client.GetGrain<ITrialRegistryGrain>(0);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await registry.Unfinished()).Contains("waking") && DateTime.UtcNow < deadline) await Task.Delay(250);

        Assert.DoesNotContain("waking", await registry.Unfinished());
        var woken = await cluster.Client.GetGrain<ITrialCoordinatorGrain>("waking").GetStatus();
        Assert.True(woken.State == TrialState.Completed, $"{woken.State}: {woken.Error}");
        Assert.Contains("broken", await registry.Unfinished());
    }
}
