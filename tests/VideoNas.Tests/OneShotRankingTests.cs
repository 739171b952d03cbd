using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.GroundTruth;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;
using VideoNas.Nas.Selection;

namespace VideoNas.Tests;

/// <summary>One-shot ranking: sub-networks of a trained supernet scored on its α-split, in process and through <c>groundtruth oneshot</c>.</summary>
[Collection(RealProcessCollection.Name)]
public class OneShotRankingTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Config = TinySearch.Network with { Primitives = Primitives.P3D, BatchSize = 2, Seed = 3 };

    [Fact]
    public void ScoringLeavesTheSupernetAsItWasAndRepeatsExactly()
    {
        var dataset = DatasetLayout.Open(data.Root, 1, 0);
        using var search = new BilevelSearch(Config, dataset.Classes.Count);
        using var halves = new SearchData(dataset, Config);
        using var scorer = OneShotScorer.On(search.Model, dataset, halves.ArchSplit, seed: 0);
        Assert.Equal(halves.ArchSplit.Count, scorer.Clips);
        string before = search.Checksum();
        var genotype = RandomGenotype.Sample(Config.Primitives, Config.Steps, 1);
        double first = scorer.Accuracy(genotype);
        Assert.InRange(first, 0, 1);
        Assert.Equal(first, scorer.Accuracy(genotype));
        Assert.InRange(scorer.Accuracy(null), 0, 1);
        Assert.Equal(before, search.Checksum()); // BatchNorm's running statistics put back
        Assert.Null(search.Model.Path);
    }

    [Fact]
    public void TheCommandScoresEveryArchitectureOfTheTable()
    {
        using var work = new TempFolder("videonas-oneshot-");
        var dataset = DatasetLayout.Open(data.Root, 1, 0);
        // A run folder as a search leaves it: config.json and its last checkpoint.
        using (var search = new BilevelSearch(Config, dataset.Classes.Count))
        {
            Directory.CreateDirectory(work["run/checkpoints"]);
            File.WriteAllText(work["run/config.json"], Config.ToJson());
            SearchCheckpoint.Save(work["run/checkpoints/step-00000004.ckpt"], search, new DataCursor(0, 0, 0, 0), 4);
        }
        var entries = Enumerable.Range(0, 3).Select(d => new GroundTruthEntry(d, JsonNode.Parse(SearchFiles.ToJson(RandomGenotype.Sample(Config.Primitives, Config.Steps, d)))!,
            1, 1, [new GroundTruthRun(0, 0.5, 0.3 + 0.2 * d, 1)])).ToList();
        var table = new GroundTruthTable(GroundTruthTable.CurrentVersion, "tiny", GroundTruthTable.Fingerprint(dataset), Config.Primitives, Config.Steps,
            JsonNode.Parse("{}")!, entries);
        Directory.CreateDirectory(work["table"]);
        File.WriteAllText(work["table/table.json"], table.ToJson());
        string[] args = ["groundtruth", "oneshot", "--run", work["run"], "--table", work["table"], "--data", data.Root, "--json"];

        var result = CliProcess.Run(args);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var report = JsonNode.Parse(result.Stdout)!;
        Assert.EndsWith("step-00000004.ckpt", (string)report["checkpoint"]!);
        Assert.Equal([0, 1, 2], report["architectures"]!.AsArray().Select(a => (int)a!["draw"]!));
        Assert.All(report["architectures"]!.AsArray(), a => Assert.InRange((double)a!["one_shot_accuracy"]!, 0, 1));
        Assert.InRange((double)report["supernet_alpha_split_accuracy"]!, 0, 1);
        Assert.Equal(result.Stdout, CliProcess.Run(args).Stdout);

        var markdown = CliProcess.Run(args[..^1]);
        Assert.Contains("| one-shot α-split accuracy | 3 |", markdown.Stdout);
        Assert.Contains("The one-shot pick among the table's 3", markdown.Stdout);

        File.Delete(work["run/checkpoints/step-00000004.ckpt"]);
        var missing = CliProcess.Run(args);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no checkpoints/step-*.ckpt", missing.Stderr);
    }
}
