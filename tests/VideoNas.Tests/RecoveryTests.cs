using System.Globalization;
using System.Text.RegularExpressions;
using VideoNas.Client;
using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>
/// Faults against a real cluster: redis-server and silo processes on loopback, killed with SIGKILL.
/// Each test first runs the same trial undisturbed on the same cluster; the disturbed one must end with
/// the same α to the bit (replicas of 2 shards sum exactly, and every silo process computes alike), hence
/// the same genotype.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class RecoveryTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>, IDisposable
{
    // 2 steps per epoch on the fixture's data; a checkpoint every 3 steps and at every epoch end.
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 10,
        ArchLr = 0.05,
        Seed = 3,
        ReplicaCheckEvery = 1,
        CheckpointEvery = 3,
    };

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly TempFolder _outputs = new("videonas-recovery-");

    public void Dispose() => _outputs.Dispose();

    [Fact]
    public async Task KilledShardSiloIsReplacedByAnIdleOneAndTheTrialEndsAsIfUndisturbed()
    {
        using var cluster = new RedisClusterFixture(log);
        var silos = new[] { cluster.StartSilo(), cluster.StartSilo(), cluster.StartSilo() };
        await using var client = await cluster.ConnectAsync();
        string reference = await RunUndisturbed(client, "reference");

        var (trial, output) = await Submit(client, "disturbed");
        var running = await TrialWait.Until(trial, s => s.Step >= 5, "step 5", Patience, log);
        // A silo with a shard but not the coordinator: the coordinator itself notices and recovers.
        var victim = silos.First(p => running.Shards.Any(s => p.Is(s.Silo)) && !p.Is(running.Coordinator!));
        int seen = (await trial.GetStatus()).Step;
        victim.Kill();

        var done = await TrialWait.End(trial, Patience, log);
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.True(done.Recoveries >= 1, "no recovery was recorded");
        Assert.DoesNotContain(done.Shards, s => victim.Is(s.Silo));
        Assert.Equal(2, done.Shards.Select(s => s.Silo).Distinct().Count());
        AssertLostAtMostOneInterval(done, seen);
        AssertSameOutcome(reference, output, done);
    }

    /// <summary>
    /// While the trial waits, the checkpoint its record points at is damaged too (as a disk fault or a write
    /// cut short on a shared volume would): it goes back to the spare checkpoint kept beside it.
    /// </summary>
    [Fact]
    public async Task TrialWhoseCoordinatorSiloDiedWaitsForASiloThatJoinsAndEndsAsIfUndisturbed()
    {
        using var cluster = new RedisClusterFixture(log);
        var silos = new[] { cluster.StartSilo(), cluster.StartSilo() };
        await using var client = await cluster.ConnectAsync();
        string reference = await RunUndisturbed(client, "reference");

        var (trial, output) = await Submit(client, "disturbed");
        var running = await TrialWait.Until(trial, s => s.Step >= 5, "step 5", Patience, log);
        // Two shards on two silos: the coordinator's silo holds one of them too.
        var victim = silos.Single(p => p.Is(running.Coordinator!));
        int seen = (await trial.GetStatus()).Step;
        victim.Kill();

        // The survivor's keeper wakes the trial; one silo cannot hold two shards, so it waits.
        var waiting = await TrialWait.Until(trial, s => s.Notice?.StartsWith("waiting for 2 device(s)", StringComparison.Ordinal) == true, "the wait for a replacement", Patience, log);
        Assert.Equal(TrialState.Running, waiting.State);
        Assert.False(victim.Is(waiting.Coordinator!));
        string damaged = Path.Combine(output, "checkpoints", $"step-{waiting.CheckpointStep:D8}.ckpt");
        var bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(damaged, bytes);
        cluster.StartSilo();

        var done = await TrialWait.End(trial, Patience, log);
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.DoesNotContain(done.Shards, s => victim.Is(s.Silo));
        Assert.Contains($"{damaged}: checkpoint is damaged", done.Notice);
        Assert.Contains("going back to the spare checkpoint", done.Notice);
        Assert.True(done.CheckpointStep > 0);
        AssertLostAtMostOneInterval(done, seen, intervals: 2);
        AssertSameOutcome(reference, output, done);
    }

    [Fact]
    public async Task TrialOutlivesARedisRestart()
    {
        using var cluster = new RedisClusterFixture(log);
        cluster.StartSilo();
        cluster.StartSilo();
        await using var client = await cluster.ConnectAsync();
        var (trial, _) = await Submit(client, "through-restart");
        await TrialWait.Until(trial, s => s.Step >= 3, "step 3", Patience, log);

        cluster.RestartRedis(TimeSpan.FromSeconds(3));

        var done = await TrialWait.End(trial, Patience, log);
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.Equal(Tiny.Epochs, done.History.Count);
        // What the coordinator stored after the restart is in Redis: a fresh client reads it back.
        await using var later = await cluster.ConnectAsync();
        Assert.Contains("through-restart", await later.Client.GetGrain<ITrialRegistryGrain>(0).List());
        Assert.DoesNotContain("through-restart", await later.Client.GetGrain<ITrialRegistryGrain>(0).Unfinished());
    }

    private async Task<string> RunUndisturbed(ClusterConnection client, string id)
    {
        var (trial, output) = await Submit(client, id);
        var done = await TrialWait.Until(trial, s => s.State.IsTerminal(), $"the end of {id}", Patience, log);
        Assert.True(done.State == TrialState.Completed, $"{id}: {done.State}: {done.Error}");
        Assert.Equal(0, done.Recoveries);
        return File.ReadAllText(Path.Combine(output, SearchFiles.AlphasFileName));
    }

    private async Task<(ITrialCoordinatorGrain Trial, string Output)> Submit(ClusterConnection client, string id)
    {
        string output = _outputs[id];
        var trial = client.Client.GetGrain<ITrialCoordinatorGrain>(id);
        await trial.Submit(new TrialSpec(Tiny.ToJson(), data.Root, 1, output, Shards: 2));
        return (trial, output);
    }

    /// <summary>The trial resumed from a checkpoint no more than one interval (two, from the spare) behind the step it was seen at before the kill.</summary>
    private static void AssertLostAtMostOneInterval(TrialStatus done, int seenBeforeKill, int intervals = 1)
    {
        var resumed = Regex.Match(done.Notice ?? "", @"resumed at step (\d+)");
        Assert.True(resumed.Success, $"no resume in the notice: {done.Notice}");
        Assert.True(int.Parse(resumed.Groups[1].Value, CultureInfo.InvariantCulture) > seenBeforeKill - intervals * Tiny.CheckpointEvery, done.Notice);
    }

    private static void AssertSameOutcome(string referenceAlphas, string output, TrialStatus done)
    {
        Assert.Equal(referenceAlphas, File.ReadAllText(Path.Combine(output, SearchFiles.AlphasFileName)));
        Assert.Equal(done.Step, done.TotalSteps);
        var history = File.ReadAllLines(Path.Combine(output, SearchFiles.HistoryFileName));
        Assert.Equal(Enumerable.Range(1, Tiny.Epochs), history.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["epoch"]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, Tiny.Epochs), done.History.Select(h => h.Epoch));
    }
}
