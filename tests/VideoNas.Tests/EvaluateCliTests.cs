using System.Text.Json.Nodes;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Training;

namespace VideoNas.Tests;

/// <summary>The evaluation protocol end to end on a tiny config: searched, random and baseline rows, mean ± std, resumable.</summary>
[Collection(RealProcessCollection.Name)]
public class EvaluateCliTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void EvaluateReportsSearchedRandomAndWidthMatchedBaselinesOverTrainingSeedsAndResumes()
    {
        using var work = new TempFolder("videonas-evaluate-");
        File.WriteAllText(work["search.json"], (TinySearch.Network with { BatchSize = 4, Epochs = 1, ArchLr = 0.05 }).ToJson());
        var train = new TrainConfig { Epochs = 1, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 1, Channels = 4, Layers = 3 };
        File.WriteAllText(work["train.json"], train.ToJson());
        // A ground-truth table of the same data and train config (accuracies made up: only the placement is read).
        var entries = Enumerable.Range(0, 4).Select(d => new GroundTruthEntry(d, JsonNode.Parse(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 2, d)))!,
            1, 1, [new GroundTruthRun(0, 0.5, 0.2 * d, 1)])).ToList();
        var table = new GroundTruthTable(GroundTruthTable.CurrentVersion, "tiny", GroundTruthTable.Fingerprint(Core.Data.DatasetLayout.Open(data.Root, 1, 0)),
            Primitives.P3D, 2, JsonNode.Parse(train.ToJson())!, entries);
        File.WriteAllText(work["table.json"], table.ToJson());
        string[] args = ["evaluate", "--search-config", work["search.json"], "--train-config", work["train.json"], "--data", data.Root,
            "--search-seeds", "2", "--random", "2", "--train-seeds", "2", "--baselines", "r3d18", "--state", work["state"], "--id", "tiny", "--out", work["out"],
            "--selection", "argmax,evolution", "--selection-clips", "2", "--table", work["table.json"]];

        File.WriteAllText(work["other-table.json"], (table with { TrainConfig = JsonNode.Parse((train with { Epochs = 2 }).ToJson())! }).ToJson());
        var mismatched = CliProcess.Run([.. args[..^1], work["other-table.json"]]);
        Assert.Equal(2, mismatched.ExitCode);
        Assert.Contains("built with another train config than --train-config", mismatched.Stderr);
        Assert.False(Directory.Exists(work["out"])); // refused before any search

        var first = CliProcess.Run(args);
        log.WriteLine(first.Stdout + first.Stderr);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(work["out"], "evaluation.json")))!;
        var models = json["models"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal(["searched s0", "searched s1", "evolution s0", "evolution s1", "random r0", "random r1", "r3d18"], models.Take(7).Select(m => (string)m["model"]!));
        Assert.Equal("searched, evolution", (string)models[2]["group"]!);
        Assert.StartsWith("r3d18 ×", (string)models[7]["model"]!);
        Assert.All(models, m => Assert.Equal(2, (int)m["training_seeds"]!));
        Assert.All(models, m => Assert.InRange((double)m["video_accuracy_std"]!, 0, 1));

        // The matched baseline is within ±25% of the searched networks' mean size (every group); the published one is not.
        double searchedParams = models.Where(m => ((string)m["group"]!).StartsWith("searched", StringComparison.Ordinal)).Average(m => (long)m["params"]!);
        Assert.InRange((long)models[7]["params"]! / searchedParams, 0.75, 1.25);
        Assert.True((long)models[6]["params"]! > 100 * searchedParams);

        // The difference is the two groups' means apart, and its spread combines their standard errors.
        var (s, r) = (json["searched_video_accuracy"]!, json["random_video_accuracy"]!);
        Assert.Equal((double)s["mean"]! - (double)r["mean"]!, (double)json["searched_minus_random"]!["difference"]!, 12);
        Assert.Equal(Math.Sqrt(Math.Pow((double)s["std"]!, 2) / 2 + Math.Pow((double)r["std"]!, 2) / 2), (double)json["searched_minus_random"]!["spread"]!, 12);
        string markdown = File.ReadAllText(Path.Combine(work["out"], "evaluation.md"));
        Assert.Contains("searched − random:", markdown);
        Assert.Contains("searched, evolution − random:", markdown);
        Assert.Contains("Picks of \"searched, evolution\" placed in the ground-truth table \"tiny\" (4 random architectures)", markdown);
        Assert.Equal(["searched", "searched, evolution"], json["searched_groups"]!.AsArray().Select(g => (string)g!["group"]!));
        Assert.Equal(2, Directory.GetFiles(work["out"], "selection-evolution.json", SearchOption.AllDirectories).Length); // one per seed's run
        Assert.True(new FileInfo(Path.Combine(work["out"], "accuracy_vs_params.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(work["out"], "genotypes", "random_r1.json")));

        // Again: nothing is searched or trained twice, and the report is the same.
        string before = File.ReadAllText(Path.Combine(work["out"], "evaluation.json"));
        var second = CliProcess.Run(args);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Equal(16, second.Stdout.Split('\n').Count(l => l.Contains("already trained", StringComparison.Ordinal)));
        Assert.Equal(2, second.Stdout.Split('\n').Count(l => l.Contains("already selected", StringComparison.Ordinal)));
        Assert.Equal(before, File.ReadAllText(Path.Combine(work["out"], "evaluation.json")));
    }
}
