using System.Text.Json.Nodes;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;
using VideoNas.Core.Training;

namespace VideoNas.Tests;

/// <summary><c>groundtruth build</c> on tiny data: one row per draw and seed, resumable, and refusing to mix train configs.</summary>
[Collection(RealProcessCollection.Name)]
public class GroundTruthCliTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void BuildTrainsEachDrawAndSeedOnceAndExtendsTheTableOnAGreaterDrawCount()
    {
        using var work = new TempFolder("videonas-groundtruth-");
        var config = new TrainConfig { Epochs = 1, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 1, Channels = 4, Layers = 3 };
        File.WriteAllText(work["train.json"], config.ToJson());
        string[] Args(int draws) => ["groundtruth", "build", "--data", data.Root, "--train-config", work["train.json"], "--draws", $"{draws}", "--seeds", "2",
            "--steps", "2", "--out", work["table"]];

        var first = CliProcess.Run(Args(1));
        log.WriteLine(first.Stdout + first.Stderr);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var table = GroundTruthTable.Read(work["table/table.json"]);
        var entry = Assert.Single(table.Entries);
        Assert.Equal([0L, 1L], entry.Runs.Select(r => r.Seed));
        Assert.All(entry.Runs, r => Assert.InRange(r.VideoAccuracy, 0, 1));
        Assert.All(entry.Runs, r => Assert.True(r.WallSeconds > 0));
        Assert.Equal(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 2, 0)), SearchFiles.ToJson(entry.ParsedGenotype("test")));

        // Two draws: draw 0 is kept as it was, only draw 1 is trained.
        var second = CliProcess.Run(Args(2));
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("2 of 4 trainings already", second.Stdout);
        Assert.Equal(2, second.Stdout.Split('\n').Count(l => l.Contains("training 1 epochs", StringComparison.Ordinal)));
        var extended = GroundTruthTable.Read(work["table/table.json"]);
        Assert.Equal([0, 1], extended.Entries.Select(e => e.Draw));
        Assert.Equal(entry.Runs, extended.Entries[0].Runs);
        Assert.Contains("| 1 |", File.ReadAllText(work["table/table.md"]));

        // Another train config would mix rows that mean different things.
        File.WriteAllText(work["train.json"], (config with { Epochs = 2 }).ToJson());
        var mixed = CliProcess.Run(Args(2));
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("built with another train config", mixed.Stderr);
    }

    [Fact]
    public void CompareReadsEachPicksTrainingsAndPlacesThemInTheTable()
    {
        using var work = new TempFolder("videonas-compare-");
        var entries = Enumerable.Range(0, 4).Select(d => new GroundTruthEntry(d, JsonNode.Parse(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 2, d)))!,
            1, 1, [new GroundTruthRun(0, 0.5, 0.6 + 0.1 * d, 1)])).ToList();
        var table = new GroundTruthTable(GroundTruthTable.CurrentVersion, "tiny", new string('a', 64), Primitives.P3D, 2, JsonNode.Parse("{}")!, entries);
        File.WriteAllText(work["table.json"], table.ToJson());
        void Trained(string pick, int seed, double video)
        {
            Directory.CreateDirectory(work[$"{pick}/seed-{seed}"]);
            File.WriteAllText(work[$"{pick}/seed-{seed}/result.json"],
                System.Text.Json.JsonSerializer.Serialize(new TrainResult(pick, 1, 1, video, video, 40, 0, []), SearchConfig.Json));
        }
        Trained("s0", 0, 0.8);
        Trained("s0", 1, 0.9);
        Trained("s1", 0, 0.95);
        Directory.CreateDirectory(work["s1/seed-1"]); // a training still running: no result.json yet

        var result = CliProcess.Run("groundtruth", "compare", "--table", work["table.json"], "--picks", work["s0"], work["s1"], "--name", "evolution", "--json");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var report = JsonNode.Parse(result.Stdout)!;
        Assert.Equal([0.8, 0.9], report["picks"]![0]!["video_accuracies"]!.AsArray().Select(a => (double)a!));
        Assert.Equal(0.875, (double)report["mean_percentile"]!, 12);
        Assert.Equal(0.15, (double)report["difference"]!, 12);
        Assert.False((bool)report["beats_random"]!);

        var untrained = CliProcess.Run("groundtruth", "compare", "--table", work["table.json"], "--picks", work["s1/seed-1"]);
        Assert.Equal(2, untrained.ExitCode);
        Assert.Contains("no seed-*/result.json (train the pick first)", untrained.Stderr);
    }

    [Fact]
    public void ProxiesAreDeterministicPerSeedAndRankTheTable()
    {
        using var work = new TempFolder("videonas-proxies-");
        var config = new TrainConfig { Segments = 2, FramesPerSegment = 2, Resolution = 16, Channels = 4, Layers = 3 };
        var dataset = Core.Data.DatasetLayout.Open(data.Root, 1, 0);
        // Accuracies made up: the command only reads them to correlate with.
        var entries = Enumerable.Range(0, 4).Select(d => new GroundTruthEntry(d, JsonNode.Parse(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 2, d)))!,
            1, 1, [new GroundTruthRun(0, 0.5, 0.4 + 0.1 * d, 1)])).ToList();
        var table = new GroundTruthTable(GroundTruthTable.CurrentVersion, "tiny", GroundTruthTable.Fingerprint(dataset), Primitives.P3D, 2,
            JsonNode.Parse(config.ToJson())!, entries);
        Directory.CreateDirectory(work["table"]);
        File.WriteAllText(work["table/table.json"], table.ToJson());
        string[] Args(int seed, params string[] more) => ["groundtruth", "proxies", "--table", work["table"], "--data", data.Root, "--batch", "3",
            "--seed", $"{seed}", .. more];

        var first = CliProcess.Run(Args(0, "--json", "--screen", "6"));
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var networks = JsonNode.Parse(first.Stdout)!["networks"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4, 5], networks.Select(n => (int)n!["draw"]!));
        Assert.Equal(0.6, (double)networks[2]!["video_accuracy"]!, 9);
        Assert.Null(networks[5]!["video_accuracy"]);
        foreach (var proxy in new[] { "grad_norm", "synflow", "jacob_cov" })
        {
            var scores = networks.Select(n => (double)n!["scores"]![proxy]!).ToList();
            Assert.All(scores, v => Assert.True(double.IsFinite(v), $"{proxy}: {v}"));
            Assert.True(scores.Distinct().Count() > 1, $"{proxy} gives every network the same score");
        }
        Assert.Equal(first.Stdout, CliProcess.Run(Args(0, "--json", "--screen", "6")).Stdout);
        Assert.NotEqual(first.Stdout, CliProcess.Run(Args(1, "--json", "--screen", "6")).Stdout);

        var summary = CliProcess.Run(Args(0, "--screen", "6", "--top", "2"));
        Assert.True(summary.ExitCode == 0, summary.Stdout + summary.Stderr);
        log.WriteLine(summary.Stdout);
        Assert.Contains("| synflow | 4 |", summary.Stdout);
        Assert.Contains("Best 2 of draws 0..5", summary.Stdout);

        // Another dataset than the table's is refused, naming both fingerprints.
        using var other = new TempFolder("videonas-proxies-other-");
        Core.Data.SyntheticMotionDataset.Generate(other.Path, SyntheticDataFixture.Options with { Seed = 6 });
        var wrong = CliProcess.Run(["groundtruth", "proxies", "--table", work["table"], "--data", other.Path]);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("not the dataset", wrong.Stderr);
    }
}
