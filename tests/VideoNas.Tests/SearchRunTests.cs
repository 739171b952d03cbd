using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>The search loop on its own: the same search with no silo as through the embedded one, and the loop's order and policies.</summary>
public class SearchRunTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public async Task ASearchWithoutASiloEndsWithTheAlphasOfTheSameSearchThroughTheEmbeddedSilo()
    {
        var config = TinySearch.Network with { BatchSize = 2, Epochs = 2, Seed = 4, ArchLr = 0.05 };
        using var workFolder = new TempFolder("videonas-searchrun-");
        string work = workFolder.Path;
        string alone = Path.Combine(work, "alone"), embedded = Path.Combine(work, "embedded"), configFile = Path.Combine(work, "config.json");
        Directory.CreateDirectory(alone);
        using (var replica = SearchReplica.Open(config, DatasetLayout.Open(data.Root, 1, 0)))
        {
            var observer = new Recorder<ReplicaStep>();
            var run = new SearchRun<ReplicaStep>(config, new InProcessReplica(replica), observer, alone);
            Assert.Null(await run.RunAsync(0, [], CancellationToken.None));
            Assert.Equal(run.TotalSteps, observer.Steps.Count);
            Assert.Equal([1, 2], observer.Epochs);
        }
        File.WriteAllText(configFile, config.ToJson());
        var demo = CliProcess.Run("demo", "--state", Path.Combine(work, "state"), "--data", data.Root, "--config", configFile, "--out", embedded);
        Assert.True(demo.ExitCode == 0, demo.Stdout + demo.Stderr);

        var a = SearchFiles.ReadAlphas(Path.Combine(alone, SearchFiles.AlphasFileName));
        var b = SearchFiles.ReadAlphas(Path.Combine(embedded, SearchFiles.AlphasFileName));
        // One replica either way; the silo's shard reduces through its ring slot in buckets (1 MiB), which sums
        // the same numbers in stages, so the two agree to float rounding, not bit for bit.
        double worst = a.Normal.Concat(a.Reduce).Zip(b.Normal.Concat(b.Reduce)).SelectMany(r => r.First.Zip(r.Second, (x, y) => Math.Abs(x - y))).Max();
        Assert.True(worst < 1e-5, $"α differ by {worst}");
        Assert.Equal(File.ReadAllText(Path.Combine(embedded, SearchFiles.GenotypeFileName)), File.ReadAllText(Path.Combine(alone, SearchFiles.GenotypeFileName)));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(alone, SearchFiles.HistoryFileName)).Length);
    }

    [Fact]
    public async Task EachStepIsAlphaThenWExceptInWarmupAndSecondOrderPairsTheSteps()
    {
        var config = TinySearch.Network with { Epochs = 3, WarmupEpochs = 1, SecondOrder = true, CheckpointEvery = 2 };
        var replicas = new FakeReplicas(batches: 3);
        var observer = new Recorder<FakeStep>();
        using var output = new TempFolder("videonas-searchrun-");
        var run = new SearchRun<FakeStep>(config, replicas, observer, output.Path);
        await run.RunAsync(0, [], CancellationToken.None);
        // Epoch 1 warms w up with α frozen; from epoch 2 every step is α (unrolled on the next w batch), then w.
        Assert.Equal(string.Concat(Enumerable.Repeat("w ", 3)) + string.Concat(Enumerable.Repeat("α2 w ", 6)) + "", string.Concat(replicas.Calls.Select(c => c + " ")));
        Assert.Equal([false, false, false, true, true, true, true, true, true], observer.Steps.Select(s => s.HadArch));
        Assert.Equal(3, replicas.EpochEnds);
        // Every checkpoint_every steps, and at every epoch end.
        Assert.Equal([2, 3, 4, 6, 8, 9], observer.Checkpoints);
    }

    [Fact]
    public async Task AResumedRunStartsAtItsStepAndCountsEpochsFromThere()
    {
        var config = TinySearch.Network with { Epochs = 2 };
        var observer = new Recorder<FakeStep>();
        using var output = new TempFolder("videonas-searchrun-");
        var run = new SearchRun<FakeStep>(config, new FakeReplicas(batches: 4), observer, output.Path);
        await run.RunAsync(5, ["{}"], CancellationToken.None);
        Assert.Equal([6, 7, 8], observer.Steps.Select(s => s.Step));
        Assert.Equal([2], observer.Epochs);
    }

    [Fact]
    public async Task AGenotypeThatHoldsStopsTheSearchEarlyAndTheReplicasAreStillCompared()
    {
        var config = TinySearch.Network with { Epochs = 10, StopWhenStableEpochs = 2 };
        var replicas = new FakeReplicas(batches: 1, count: 2);
        using var output = new TempFolder("videonas-searchrun-");
        string? reason = await new SearchRun<FakeStep>(config, replicas, new Recorder<FakeStep>(), output.Path).RunAsync(0, [], CancellationToken.None);
        Assert.Equal("stopped early after epoch 3: the genotype has not changed for 2 epochs", reason);
        Assert.Equal(1, replicas.ChecksumCalls);
    }

    [Fact]
    public async Task ReplicasThatDisagreeStopTheSearch()
    {
        var config = TinySearch.Network with { Epochs = 2, ReplicaCheckEvery = 1 };
        var replicas = new FakeReplicas(batches: 2, count: 2) { Diverged = true };
        using var output = new TempFolder("videonas-searchrun-");
        var e = await Assert.ThrowsAsync<ReplicasDivergedException>(() =>
            new SearchRun<FakeStep>(config, replicas, new Recorder<FakeStep>(), output.Path).RunAsync(0, [], CancellationToken.None));
        Assert.StartsWith("the replicas diverged by step 1", e.Message);
    }

    public sealed record FakeStep(double Loss, double Accuracy, long Clips) : IStepMetrics;

    /// <summary>Replicas that record the loop's calls and always hold the same α.</summary>
    private sealed class FakeReplicas(int batches, int count = 1) : ISearchReplicas<FakeStep>
    {
        private static readonly string Alphas = SearchFiles.ToJson(new ArchitectureWeights(Primitives.P3D, 2,
            Enumerable.Range(0, 5).Select(e => Primitives.P3D.Select((_, k) => (float)((e + k) % 7)).ToArray()).ToArray(),
            Enumerable.Range(0, 5).Select(e => Primitives.P3D.Select((_, k) => (float)((e * k) % 5)).ToArray()).ToArray()));

        public List<string> Calls { get; } = [];
        public int EpochEnds { get; private set; }
        public int ChecksumCalls { get; private set; }
        public bool Diverged { get; init; }
        public int Count => count;
        public int BatchesPerEpoch => batches;

        public Task<IReadOnlyList<FakeStep>> ArchStep(bool unroll) => Step(unroll ? "α2" : "α");
        public Task<IReadOnlyList<FakeStep>> WeightStep() => Step("w");

        public Task EndEpoch()
        {
            EpochEnds++;
            return Task.CompletedTask;
        }

        public Task<string> AlphasJson() => Task.FromResult(Alphas);

        public Task<IReadOnlyList<string>> Checksums()
        {
            ChecksumCalls++;
            return Task.FromResult<IReadOnlyList<string>>(Enumerable.Range(0, count).Select(i => Diverged ? $"c{i}" : "c").ToList());
        }

        private Task<IReadOnlyList<FakeStep>> Step(string call)
        {
            Calls.Add(call);
            return Task.FromResult<IReadOnlyList<FakeStep>>(Enumerable.Repeat(new FakeStep(1, 0.5, 2), count).ToList());
        }
    }
}
