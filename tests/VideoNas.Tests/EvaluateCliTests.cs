using System.Text.Json.Nodes;
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
        File.WriteAllText(work["train.json"], new TrainConfig { Epochs = 1, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 1, Channels = 4, Layers = 3 }.ToJson());
        string[] args = ["evaluate", "--search-config", work["search.json"], "--train-config", work["train.json"], "--data", data.Root,
            "--search-seeds", "2", "--random", "2", "--train-seeds", "2", "--baselines", "r3d18", "--state", work["state"], "--id", "tiny", "--out", work["out"]];

        var first = CliProcess.Run(args);
        log.WriteLine(first.Stdout + first.Stderr);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(work["out"], "evaluation.json")))!;
        var models = json["models"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal(["searched s0", "searched s1", "random r0", "random r1", "r3d18"], models.Take(5).Select(m => (string)m["model"]!));
        Assert.StartsWith("r3d18 ×", (string)models[5]["model"]!);
        Assert.All(models, m => Assert.Equal(2, (int)m["training_seeds"]!));
        Assert.All(models, m => Assert.InRange((double)m["video_accuracy_std"]!, 0, 1));

        // The matched baseline is within ±25% of the searched networks' mean size; the published one is not.
        double searchedParams = models.Where(m => (string)m["group"]! == "searched").Average(m => (long)m["params"]!);
        Assert.InRange((long)models[5]["params"]! / searchedParams, 0.75, 1.25);
        Assert.True((long)models[4]["params"]! > 100 * searchedParams);

        // The difference is the two groups' means apart, and its spread combines their standard errors.
        var (s, r) = (json["searched_video_accuracy"]!, json["random_video_accuracy"]!);
        Assert.Equal((double)s["mean"]! - (double)r["mean"]!, (double)json["searched_minus_random"]!["difference"]!, 12);
        Assert.Equal(Math.Sqrt(Math.Pow((double)s["std"]!, 2) / 2 + Math.Pow((double)r["std"]!, 2) / 2), (double)json["searched_minus_random"]!["spread"]!, 12);
        Assert.Contains("searched − random:", File.ReadAllText(Path.Combine(work["out"], "evaluation.md")));
        Assert.True(new FileInfo(Path.Combine(work["out"], "accuracy_vs_params.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(work["out"], "genotypes", "random_r1.json")));

        // Again: nothing is searched or trained twice, and the report is the same.
        string before = File.ReadAllText(Path.Combine(work["out"], "evaluation.json"));
        var second = CliProcess.Run(args);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Equal(12, second.Stdout.Split('\n').Count(l => l.Contains("already trained", StringComparison.Ordinal)));
        Assert.Equal(before, File.ReadAllText(Path.Combine(work["out"], "evaluation.json")));
    }
}
