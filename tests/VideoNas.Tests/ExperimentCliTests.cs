using System.Text.Json.Nodes;

namespace VideoNas.Tests;

/// <summary>
/// <c>experiment run</c> on the embedded default and <c>experiment submit</c> on a loopback cluster (redis-server
/// and two silo processes with one device each, one of them killed mid-way), through the real CLI.
/// </summary>
[Collection(RealProcessCollection.Name)]
public class ExperimentCliTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with { BatchSize = 2, Epochs = 2, ArchLr = 0.05 };

    private const string Queued = "waiting for 1 device(s): 0 free of 2 on 2 silo(s)";

    [Fact]
    public void ExperimentRunOnTheEmbeddedDefaultRunsTwoSeedsAtOnceAndComparesThem()
    {
        using var work = new TempFolder("videonas-experiment-cli-");
        File.WriteAllText(work["search.json"], Tiny.ToJson());
        string state = work["state"];

        var run = CliProcess.Run(["experiment", "run", "--config", work["search.json"], "--data", data.Root, "--seeds", "3", "--parallel", "2",
            "--state", state, "--id", "cli-exp", "--out", work["out"]]);
        log.WriteLine(run.Stdout + run.Stderr);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("seed 2 (cli-exp-s2): Pending (waiting for a slot: this experiment runs at most 2 trial(s) at once, and 2 run)", run.Stdout);
        Assert.Contains("seed 2 (cli-exp-s2): Running", run.Stdout);
        Assert.Contains("experiment cli-exp ended Completed", run.Stdout);
        // The embedded silo's load warnings (the watchdog's "stall" of the machine's uptime, late timers) stay out of the console.
        Assert.DoesNotContain("Orleans.Runtime.Watchdog", run.Stderr);
        Assert.DoesNotContain("Orleans.Runtime.GrainTimer", run.Stderr);

        var status = CliProcess.Run(["experiment", "status", "cli-exp", "--json", "--state", state]);
        Assert.True(status.ExitCode == 0, status.Stderr);
        var json = JsonNode.Parse(status.Stdout)!;
        Assert.Equal("Completed", (string)json["state"]!);
        var trials = json["trials"]!.AsArray();
        Assert.Equal([0L, 1L, 2L], trials.Select(t => (long)t!["seed"]!));
        Assert.All(trials, t => Assert.Equal("Completed", (string)t!["state"]!));
        Assert.All(trials, t => Assert.Equal(2, (int)t!["status"]!["epoch"]!));
        Assert.All(trials, t => SearchFiles.ParseGenotype((string)t!["status"]!["genotype_json"]!));
        // At most two at once, from when each trial got its device to when it ended.
        var intervals = trials.Select(t => (Start: (DateTime)t!["status"]!["started_utc"]!, End: (DateTime)t!["status"]!["ended_utc"]!)).ToList();
        int AtStartOf((DateTime Start, DateTime End) a) => intervals.Count(b => b.Start <= a.Start && a.Start < b.End);
        Assert.Equal(2, intervals.Max(AtStartOf));

        foreach (var file in new[] { "summary.json", "summary.md", "loss.png", "accuracy.png" }) Assert.True(File.Exists(System.IO.Path.Combine(work["out"], file)), file);
        foreach (var seed in new[] { 0, 1, 2 })
            foreach (var cell in new[] { "normal", "reduce" })
            {
                Assert.True(File.Exists(System.IO.Path.Combine(work["out"], $"cell-seed-{seed}-{cell}.png")), $"cell diagram of seed {seed}, {cell}");
                Assert.True(File.Exists(System.IO.Path.Combine(work["out"], $"alphas-seed-{seed}-{cell}.png")), $"α heat map of seed {seed}, {cell}");
            }
        var summary = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(work["out"], "summary.json")))!;
        Assert.InRange((double)summary["mean_agreement"]!, 1 / 3.0, 1.0);

        var list = CliProcess.Run(["experiment", "list", "--state", state]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("cli-exp  Completed", list.Stdout);
        Assert.Contains("3 Completed", list.Stdout);

        // --json: list as one array; watch as JSON Lines, here one line since it has ended, and the conclusion on stderr.
        var listJson = CliProcess.Run(["experiment", "list", "--json", "--state", state]);
        Assert.True(listJson.ExitCode == 0, listJson.Stderr);
        var listed = Assert.Single(JsonNode.Parse(listJson.Stdout)!.AsArray());
        Assert.Equal(("cli-exp", "Completed"), ((string)listed!["experiment_id"]!, (string)listed["state"]!));
        Assert.Equal(3, listed["trials"]!.AsArray().Count);
        var watch = CliProcess.Run(["experiment", "watch", "cli-exp", "--json", "--state", state]);
        Assert.True(watch.ExitCode == 0, watch.Stderr);
        var lines = watch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Completed", (string)JsonNode.Parse(Assert.Single(lines))!["state"]!);
        Assert.Contains("experiment cli-exp ended Completed", watch.Stderr);

        // One trial of the embedded default, read as on a cluster; an unknown id is named, with the known ones.
        var trial = CliProcess.Run(["status", "cli-exp-s1", "--json", "--state", state]);
        Assert.True(trial.ExitCode == 0, trial.Stderr);
        var trialJson = JsonNode.Parse(trial.Stdout)!;
        Assert.Equal("Completed", (string)trialJson["state"]!);
        Assert.Equal("cli-exp-s1", (string)trialJson["trial_id"]!);
        var unknown = CliProcess.Run(["status", "cli-exp-s9", "--state", state]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no trial \"cli-exp-s9\" here; known: cli-exp-s0, cli-exp-s1, cli-exp-s2", unknown.Stderr);

        // A seed goes only with its experiment; the experiment goes with its seeds and, with --files, everything VideoNas wrote.
        var seedDelete = CliProcess.Run(["delete", "cli-exp-s0", "--state", state]);
        Assert.Equal(2, seedDelete.ExitCode);
        Assert.Contains("trial \"cli-exp-s0\" is a seed of experiment \"cli-exp\": delete the experiment", seedDelete.Stderr);
        File.WriteAllText(System.IO.Path.Combine(work["out"], "seed-1", "notes.txt"), "the user's own");
        var delete = CliProcess.Run(["experiment", "delete", "cli-exp", "--files", "--state", state]);
        Assert.True(delete.ExitCode == 0, delete.Stdout + delete.Stderr);
        Assert.Contains("deleted experiment cli-exp: its record and ", delete.Stdout);
        Assert.Equal([System.IO.Path.Combine(work["out"], "seed-1", "notes.txt")],
            delete.Stdout.Split('\n').Where(l => l.StartsWith("kept", StringComparison.Ordinal)).Select(l => l["kept (not written by VideoNas): ".Length..].Trim()));
        Assert.Equal(["seed-1"], Directory.GetFileSystemEntries(work["out"]).Select(System.IO.Path.GetFileName));
        Assert.Contains("no experiments", CliProcess.Run(["experiment", "list", "--state", state]).Stdout);
        Assert.Equal(2, CliProcess.Run(["status", "cli-exp-s1", "--state", state]).ExitCode);
    }

    [Fact]
    public async Task AnExperimentOnTwoOneDeviceSilosQueuesItsThirdSeedAndSurvivesAKilledSilo()
    {
        using var cluster = new RedisClusterFixture(log);
        var silos = new[] { cluster.StartSilo(), cluster.StartSilo() };
        using var work = new TempFolder("videonas-experiment-cluster-");
        // Long enough to kill a silo mid-trial; a checkpoint every 2 steps.
        File.WriteAllText(work["search.json"], (Tiny with { Epochs = 10, CheckpointEvery = 2 }).ToJson());

        var submit = CliProcess.Run(["experiment", "submit", "--config", work["search.json"], "--data", data.Root, "--seeds", "3",
            "--id", "queued", "--out", work["out"], .. cluster.ClientArgs]);
        Assert.True(submit.ExitCode == 0, submit.Stdout + submit.Stderr);
        Assert.Equal("queued", submit.Stdout.Trim());

        await using var client = await cluster.ConnectAsync();
        var experiment = client.Client.GetGrain<Grains.IExperimentGrain>("queued");
        var waits = new HashSet<string>();
        Grains.ExperimentTrial? victimTrial = null;
        var done = await ExperimentWait.End(experiment, TimeSpan.FromMinutes(5), s =>
        {
            foreach (var t in s.Trials.Where(t => t.Waiting is not null)) waits.Add(t.Waiting!);
            // Once the third seed is seen queued behind two running trials, and a trial is well under way, kill the silo of its shard (once).
            if (victimTrial is null && waits.Any(w => w.StartsWith(Queued, StringComparison.Ordinal)) && s.Trials.FirstOrDefault(t => t.Status is { State: Grains.TrialState.Running, Step: >= 3, Shards.Count: 1 }) is { } running)
            {
                victimTrial = running;
                var victim = silos.Single(p => p.Is(running.Status!.Shards[0].Silo));
                log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.f} killing the silo of {running.TrialId} at step {running.Status!.Step}");
                victim.Kill();
            }
        }, log);

        Assert.True(done.State == Grains.TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.All(done.Trials, t => Assert.Equal(Grains.TrialState.Completed, t.State));
        Assert.NotNull(victimTrial);
        Assert.True(done.Trials.Single(t => t.Seed == victimTrial.Seed).Status!.Recoveries >= 1, "the trial on the killed silo did not recover");
        Assert.Contains(waits, w => w.StartsWith(Queued, StringComparison.Ordinal));

        var list = CliProcess.Run(["experiment", "list", .. cluster.ClientArgs]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("queued  Completed", list.Stdout);

        // The same submission again is answered with the experiment as it stands; --json prints that status instead of the id.
        var again = CliProcess.Run(["experiment", "submit", "--config", work["search.json"], "--data", data.Root, "--seeds", "3",
            "--id", "queued", "--out", work["out"], "--json", .. cluster.ClientArgs]);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        var resubmitted = JsonNode.Parse(again.Stdout)!;
        Assert.Equal(("queued", "Completed"), ((string)resubmitted["experiment_id"]!, (string)resubmitted["state"]!));
    }
}
