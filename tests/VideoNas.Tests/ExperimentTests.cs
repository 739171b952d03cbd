using Orleans.TestingHost;
using VideoNas.Core.Experiments;
using VideoNas.Grains;

namespace VideoNas.Tests;

/// <summary>Experiments on an in-process test cluster: the parallel limit, why a seed waits, cancel and resume, trial stop and resume.</summary>
public class ExperimentTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    // 2 steps per epoch on the fixture's data; a checkpoint after every step, so a cancelled trial resumes where it was.
    private static readonly SearchConfig Tiny = TinySearch.Network with { BatchSize = 2, Epochs = 2, ArchLr = 0.05, CheckpointEvery = 1 };

    private ExperimentSpec Spec(string output, int seeds, int parallel, int stopAfter = 0) =>
        new(Tiny.ToJson(), data.Root, 1, output, Enumerable.Range(0, seeds).Select(s => (long)s).ToList(), parallel, StopBelowMedianAfter: stopAfter);

    [Fact]
    public async Task SeedsRunAtMostParallelAtOnceAndTheOneWaitingSaysWhy()
    {
        using var state = new TempFolder("videonas-experiment-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path, cpuSlots: 2);
        var experiment = cluster.Client.GetGrain<IExperimentGrain>("exp");
        var spec = Spec(state["out"], seeds: 3, parallel: 2);
        var submitted = await experiment.Submit(spec);

        var waits = new HashSet<string>();
        int mostRunning = 0;
        var done = await ExperimentWait.End(experiment, TimeSpan.FromMinutes(4), s =>
        {
            mostRunning = Math.Max(mostRunning, s.Trials.Count(t => t.State == TrialState.Running));
            foreach (var t in s.Trials.Where(t => t.Waiting is not null)) waits.Add($"{t.Seed}: {t.Waiting}");
        });

        Assert.Equal(TrialState.Pending, submitted.Trials[2].State);
        Assert.Equal("waiting for a slot: this experiment runs at most 2 trial(s) at once, and 2 run", submitted.Trials[2].Waiting);
        Assert.Contains("2: waiting for a slot: this experiment runs at most 2 trial(s) at once, and 2 run", waits);
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.All(done.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(["exp-s0", "exp-s1", "exp-s2"], done.Trials.Select(t => t.TrialId));
        Assert.Equal([0L, 1L, 2L], done.Trials.Select(t => SearchConfig.FromJson(File.ReadAllText(Path.Combine(spec.TrialOutput(t.Seed), "config.json"))).Seed));
        // Polling can miss a short overlap, so it only bounds the count; the recorded intervals give it exactly.
        Assert.InRange(mostRunning, 1, 2);
        Assert.Equal(2, ExperimentWait.MostAtOnce(done));
        Assert.Contains("| 2 | Completed | 2 |", done.SummaryMarkdown);
        Assert.True(File.Exists(Path.Combine(spec.OutputDir, "summary.json")));
        Assert.Contains("exp", await cluster.Client.GetGrain<ITrialRegistryGrain>(Registries.Experiments).List());
        Assert.Empty(await cluster.Client.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Unfinished());

        // The same id and spec again: its status; another spec under the same id: refused.
        Assert.Equal(TrialState.Completed, (await experiment.Submit(spec)).State);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => experiment.Submit(spec with { Seeds = [0, 1] }));
        Assert.Contains("experiment \"exp\" already exists with another spec", e.Message);
    }

    [Fact]
    public async Task ACancelledExperimentResumesItsTrialsFromTheirCheckpoints()
    {
        using var state = new TempFolder("videonas-experiment-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path, cpuSlots: 1);
        var experiment = cluster.Client.GetGrain<IExperimentGrain>("cancelled");
        await experiment.Submit(Spec(state["out"], seeds: 2, parallel: 1));
        await TrialWait.Until(cluster.Client.GetGrain<ITrialCoordinatorGrain>("cancelled-s0"), s => s.Step >= 2, "step 2", TimeSpan.FromMinutes(2));

        var cancelled = await experiment.Cancel();
        Assert.Equal(TrialState.Cancelled, cancelled.State);
        Assert.Equal(TrialState.Cancelled, cancelled.Trials[0].State);
        Assert.Equal(TrialState.Cancelled, cancelled.Trials[1].State);
        Assert.Null(cancelled.Trials[1].Status);
        long checkpoint = cancelled.Trials[0].Status!.CheckpointStep;
        Assert.True(checkpoint >= 2, $"checkpoint at step {checkpoint}");

        var resumed = await experiment.Resume();
        Assert.Equal(TrialState.Running, resumed.State);
        Assert.Equal($"resumed by the user from the checkpoint at step {checkpoint}", resumed.Trials[0].Status!.Notice);
        var done = await ExperimentWait.End(experiment, TimeSpan.FromMinutes(3));
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        Assert.All(done.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(Tiny.Epochs, done.Trials[0].Status!.History.Count);
    }

    /// <summary>
    /// One seed at a time, so each is judged against the finished seeds before it, at every epoch but the last:
    /// a Stopped trial was below their median at the epoch its reason names and at none before; a Completed one never was.
    /// </summary>
    [Fact]
    public async Task TheMedianRuleStopsExactlyTheTrialsBelowTheirPeersMedian()
    {
        using var state = new TempFolder("videonas-experiment-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path);
        var experiment = cluster.Client.GetGrain<IExperimentGrain>("median");
        await experiment.Submit(Spec(state["out"], seeds: 4, parallel: 1, stopAfter: 1) with { ConfigJson = (Tiny with { Epochs = 3 }).ToJson() });
        var done = await ExperimentWait.End(experiment, TimeSpan.FromMinutes(4));

        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");
        var curves = done.Trials.ToDictionary(t => t.Seed, t => t.Status!.History.Select(h => h.Arch!.Accuracy).ToList());
        foreach (var trial in done.Trials)
        {
            var own = curves[trial.Seed];
            var earlier = curves.Where(c => c.Key < trial.Seed).Select(c => (IReadOnlyList<double>)c.Value).ToList();
            // The last epoch ends the trial anyway: it is not judged.
            var below = Enumerable.Range(1, Math.Min(own.Count, 2)).Where(e => MedianStoppingRule.Check(1, e, own, earlier) is not null).ToList();
            if (trial.State == TrialState.Stopped)
                Assert.Equal(MedianStoppingRule.Check(1, below[0], own, earlier), trial.Status!.StopReason);
            else
                Assert.True(trial.State == TrialState.Completed && below.Count == 0, $"seed {trial.Seed} {trial.State}, below the median at epochs {string.Join(",", below)}");
        }
    }

    [Fact]
    public async Task AStoppedTrialEndsStoppedWithItsReasonAndIsNotResumed()
    {
        using var state = new TempFolder("videonas-experiment-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path);
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("stopped");
        await trial.Submit(new TrialSpec((Tiny with { Epochs = 20 }).ToJson(), data.Root, 1, state["stopped"]));
        await TrialWait.Until(trial, s => s.Step >= 1, "step 1", TimeSpan.FromMinutes(2));

        var stopped = await trial.Stop("below the median");
        Assert.Equal(TrialState.Stopped, stopped.State);
        Assert.Equal("below the median", stopped.StopReason);
        Assert.NotNull(stopped.EndedUtc);
        Assert.Equal(TrialState.Stopped, (await trial.Resume()).State);
        Assert.DoesNotContain("stopped", await cluster.Client.GetGrain<ITrialRegistryGrain>(Registries.Trials).Unfinished());
    }
}
