using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.GroundTruth;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;
using VideoNas.Nas.Selection;
using VideoNas.Nas.Supernet;

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

    [Fact]
    public void ASinglePathStepMovesOnlyThePathsOperationsAndNotTheirMomentumLater()
    {
        using var search = new BilevelSearch(Config with { WeightDecay = 0.1 }, classes: 2);
        using var batch = new ClipBatch(randn([2, 2, 3, 2, 16, 16], generator: new Generator(1)), tensor(new long[] { 0, 1 }));
        Dictionary<string, float[]> Weights() => search.Model.NamedWeights.ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        var first = RandomGenotype.Sample(Config.Primitives, Config.Steps, 0);
        var second = RandomGenotype.Sample(Config.Primitives, Config.Steps, 1);
        string alphas = SearchFiles.ToJson(search.Model.ExportAlphas());

        var before = Weights();
        search.Model.Path = first;
        search.WeightStep(batch);
        var afterFirst = Weights();
        search.Model.Path = second;
        var offSecond = search.Model.NamedWeights.Select(p => p.name).Where(search.Model.IsOffPath).ToHashSet();
        search.WeightStep(batch);
        var afterSecond = Weights();

        search.Model.Path = first;
        foreach (var name in before.Keys.Where(n => n.Contains("._ops.", StringComparison.Ordinal)))
        {
            bool onFirst = !search.Model.IsOffPath(name);
            // Weight decay 0.1 moves every weight an optimiser steps, so a weight left alone is exactly the same.
            Assert.True(onFirst == !before[name].SequenceEqual(afterFirst[name]), $"{name}: on the first path {onFirst}");
            if (offSecond.Contains(name)) Assert.Equal(afterFirst[name], afterSecond[name]); // momentum from step 1 does not carry it
        }
        Assert.Contains(before.Keys, n => n.StartsWith("_stem.", StringComparison.Ordinal) && !before[n].SequenceEqual(afterFirst[n]));
        Assert.Equal(alphas, SearchFiles.ToJson(search.Model.ExportAlphas()));
    }

    [Fact]
    public void ASinglePathSearchNeverMovesAlphaAndTrainsTheSamePathsOnEveryRun()
    {
        var dataset = DatasetLayout.Open(data.Root, 1, 0);
        var config = Config with { SinglePath = true };
        string Run()
        {
            using var replica = SearchReplica.Open(config, dataset);
            string alphas = replica.AlphasJson();
            replica.WeightStep();
            replica.WeightStep();
            Assert.Equal(alphas, replica.AlphasJson());
            return replica.Checksum();
        }
        Assert.Equal(Run(), Run());
    }
}
