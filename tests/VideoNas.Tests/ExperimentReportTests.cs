using System.Text.Json.Nodes;
using VideoNas.Core.Experiments;
using VideoNas.Core.Reporting;

namespace VideoNas.Tests;

/// <summary>The comparison of seeds, on three hand-made one-node genotypes whose agreement is computed by hand.</summary>
public class ExperimentReportTests
{
    private static readonly string[] Primitives = ["none", "a", "b", "c", "w", "x", "y", "z"];

    // Seed 1 keeps seed 0's normal cell in the other order: a node's edges are a set.
    private static readonly Dictionary<long, Genotype> Genotypes = new()
    {
        [0] = Cell(("a", 0), ("b", 1), ("x", 0), ("y", 1)),
        [1] = Cell(("b", 1), ("a", 0), ("x", 0), ("z", 1)),
        [2] = Cell(("a", 0), ("c", 1), ("w", 0), ("z", 1)),
    };

    private static Genotype Cell((string, int) n0, (string, int) n1, (string, int) r0, (string, int) r1) => new(
        [new(n0.Item1, n0.Item2), new(n1.Item1, n1.Item2)], [2], [new(r0.Item1, r0.Item2), new(r1.Item1, r1.Item2)], [2]);

    [Fact]
    public void AgreementIsTheShareOfSeedsKeepingEachEdge()
    {
        var agreement = GenotypeAgreement.Of(Genotypes);
        // Shares: normal a←0 3/3, b←1 2/3, c←1 1/3; reduce x←0 2/3, y←1 1/3, z←1 2/3, w←0 1/3.
        Assert.Equal(1.0, agreement.Edges.Single(e => e.Edge == new CellEdge("normal", 0, 0, "a")).Share);
        Assert.Equal([1L, 2L], agreement.Edges.Single(e => e.Edge == new CellEdge("reduce", 0, 1, "z")).Seeds);
        Assert.Equal(7, agreement.Edges.Count);
        Assert.Equal((1 + 2 / 3.0 + 2 / 3.0 + 1 / 3.0) / 4, agreement.BySeed[0], 12);
        Assert.Equal((1 + 2 / 3.0 + 2 / 3.0 + 2 / 3.0) / 4, agreement.BySeed[1], 12);
        Assert.Equal((1 + 1 / 3.0 + 1 / 3.0 + 2 / 3.0) / 4, agreement.BySeed[2], 12);
        Assert.Equal(2 / 3.0, agreement.Mean, 12);
        Assert.Equal(1, agreement.Medoid);
    }

    [Fact]
    public void ChanceAgreementIsOneForOneSeedAndFallsWithDepthAndOperations()
    {
        Assert.Equal(1.0, GenotypeAgreement.Chance(1, 4, 10));
        // Nodes of 2, 3, 4, 5 inputs: p = (1 + 2/3 + 1/2 + 2/5) / 4 / 10.
        double p = (1 + 2 / 3.0 + 0.5 + 0.4) / 4 / 10;
        Assert.Equal((1 + 2 * p) / 3, GenotypeAgreement.Chance(3, 4, 10), 12);
    }

    [Fact]
    public void ReportWritesSummariesPlotsAndCellDiagrams()
    {
        using var folder = new TempFolder("videonas-report-");
        var runs = Genotypes.Select(g => Run(folder, g.Key, g.Value)).ToList();
        runs.Add(new SeedRun(3, "e-s3", "Pending", null, [], null, null, folder["seed-3"]));

        var pictures = ExperimentReport.Write(new ExperimentSummary("e", runs, operations: 7), folder.Path);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, ExperimentSummary.JsonFileName)))!;
        Assert.Equal(2 / 3.0, json["mean_agreement"]!.GetValue<double>(), 12);
        Assert.Equal(1, json["medoid_seed"]!.GetValue<long>());
        // One node of two inputs, 7 operations: another random seed keeps an edge with p = 1/7; three seeds agree (1 + 2/7) / 3.
        Assert.Equal((1 + 2 / 7.0) / 3, json["chance_agreement"]!.GetValue<double>(), 12);
        Assert.Equal(4, json["seeds"]!.AsArray().Count);
        Assert.Equal(0.5, json["seeds"]![2]!["arch_accuracy"]!.GetValue<double>(), 12);
        Assert.Null(json["seeds"]![3]!["genotype"]);
        string markdown = File.ReadAllText(Path.Combine(folder.Path, ExperimentSummary.MarkdownFileName));
        Assert.Contains("| 2 | Completed | 2 | 50.0 % | 1.100 | 60.0 % | 00:01:05 | 58 % |", markdown);
        Assert.Contains("| reduce | 0 | c_{k-1} | z | 67 % | 1, 2 |", markdown);

        string[] expected = ["loss.png", "accuracy.png", .. Genotypes.Keys.SelectMany(s => new[]
            { $"alphas-seed-{s}-normal.png", $"alphas-seed-{s}-reduce.png", $"cell-seed-{s}-normal.png", $"cell-seed-{s}-reduce.png" })];
        Assert.Equal(expected.Order(), pictures.Order());
        foreach (var picture in expected)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder.Path, picture));
            Assert.True(bytes.Length > 1000 && bytes.AsSpan(1, 3).SequenceEqual("PNG"u8), $"{picture} is not a PNG image");
            Assert.Contains($"({picture})", markdown);
        }
        string dot = File.ReadAllText(Path.Combine(folder.Path, "cell-seed-2-normal.dot"));
        Assert.Contains("\"c_{k-2}\" -> \"0\" [label=\"a\"];", dot);
        Assert.Contains("\"c_{k-1}\" -> \"0\" [label=\"c\"];", dot);
        Assert.Contains("\"0\" -> \"c_{k}\"", dot);
    }

    /// <summary>A finished two-epoch seed with its run folder: alphas.json and a history line per epoch.</summary>
    private static SeedRun Run(TempFolder folder, long seed, Genotype genotype)
    {
        string dir = folder[$"seed-{seed}"];
        Directory.CreateDirectory(dir);
        var alphas = new ArchitectureWeights(Primitives, 1, Rows(seed), Rows(seed + 1));
        File.WriteAllText(Path.Combine(dir, SearchFiles.AlphasFileName), SearchFiles.ToJson(alphas));
        File.WriteAllLines(Path.Combine(dir, SearchFiles.HistoryFileName), [SearchFiles.HistoryLine(1, genotype, alphas), SearchFiles.HistoryLine(2, genotype, alphas)]);
        SeedEpoch[] epochs = [new(1, 1.3, 0.4, 1.35, 0.3 + seed / 10.0), new(2, 1.2, 0.5 + seed / 20.0, 1.1, 0.3 + seed / 10.0)];
        return new SeedRun(seed, $"e-s{seed}", "Completed", SearchFiles.ToJson(genotype), epochs, 65, null, dir);
    }

    private static float[][] Rows(long seed) => [.. Enumerable.Range(0, 2).Select(r => Primitives.Select((_, i) => (float)((i * (r + 1) + seed) % 5) / 5).ToArray())];
}
