using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.Selection;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;
using VideoNas.Nas.Selection;

namespace VideoNas.Tests;

/// <summary>Selection on a real supernet: the projected mixing, DARTS-PT where one operation is known to matter, and <c>genotype select</c>.</summary>
[Collection(RealProcessCollection.Name)]
public class SupernetSelectionTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Config = TinySearch.Network with { Primitives = Primitives.P3D, BatchSize = 2, Seed = 3 };

    [Fact]
    public void AMixingOfSoftmaxAlphaIsTheSupernetAndAOneHotMixingIsTheSubNetwork()
    {
        using var search = new BilevelSearch(Config, classes: 2);
        var net = search.Model;
        net.eval();
        using var clips = randn([2, 2, 3, 2, 16, 16], generator: new Generator(7));
        using var supernet = net.call(clips);
        net.Mixing = EdgeMixing.From(net.ExportAlphas(), uniform: false);
        using var mixed = net.call(clips);
        Assert.True(mixed.allclose(supernet, rtol: 1e-5, atol: 1e-6));

        var genotype = RandomGenotype.Sample(Config.Primitives, Config.Steps, 2);
        net.Mixing = new EdgeMixing(OneHot(genotype.Normal), OneHot(genotype.Reduce));
        using var projected = net.call(clips);
        net.Mixing = null;
        net.Path = genotype;
        using var path = net.call(clips);
        Assert.True(projected.allclose(path, rtol: 1e-5, atol: 1e-6));
        Assert.False(path.allclose(supernet, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void RemovingAnOperationWithoutOutputChangesNothingAndRemovingTheOneThatCarriesTheEdgeChangesTheScore()
    {
        // A hand-built supernet: every convolution off one genotype's path zeroed, so on each edge only the path's
        // operation (if any) has an output. The perturbation a selection measures must see exactly that.
        var config = Config with { Primitives = [Primitives.None, "conv_1x3x3", "conv_3x1x1"], BatchSize = 4 };
        var dataset = DatasetLayout.Open(data.Root, 1, 0);
        var genotype = RandomGenotype.Sample(config.Primitives, config.Steps, 11);
        using var search = new BilevelSearch(config, dataset.Classes.Count);
        var net = search.Model;
        net.Path = genotype;
        using (no_grad())
            foreach (var (_, weight) in net.NamedWeights.Where(w => net.IsOffPath(w.name)))
                weight.zero_();
        net.Path = null;
        using var halves = new SearchData(dataset, config);
        using var scorer = OneShotScorer.On(net, dataset, halves.WeightSplit, seed: 0);
        var uniform = EdgeMixing.From(net.ExportAlphas(), uniform: true);
        var unperturbed = scorer.Score(uniform);
        Assert.Equal(unperturbed, scorer.Score(uniform)); // scoring repeats exactly

        foreach (var (kept, reduce) in new[] { (genotype.Normal, false), (genotype.Reduce, true) })
            for (int k = 0; k < kept.Count; k++)
            {
                int edge = Primitives.EdgeCount(k / 2) + kept[k].Input;
                foreach (int op in new[] { 1, 2 })
                {
                    var row = uniform.Of(reduce)[edge].ToArray();
                    row[op] = 0;
                    var score = scorer.Score(uniform.WithRow(reduce, edge, row));
                    if (config.Primitives[op] == kept[k].Op) Assert.NotEqual(unperturbed.Loss, score.Loss);
                    else Assert.Equal(unperturbed, score); // bit for bit: a zero-output operation is not even run
                }
            }
    }

    [Theory]
    [InlineData(SelectionMethods.Argmax)]
    [InlineData(SelectionMethods.Perturbation)]
    [InlineData(SelectionMethods.PerturbationUniform)]
    [InlineData(SelectionMethods.Evolution)]
    public void EveryMethodEndsWithAValidGenotypeAndKeepsItsReport(string method)
    {
        using var work = new TempFolder("videonas-select-");
        var dataset = DatasetLayout.Open(data.Root, 1, 0);
        string genotypeFromAlpha;
        using (var search = new BilevelSearch(Config, dataset.Classes.Count))
        {
            Directory.CreateDirectory(work["run/checkpoints"]);
            File.WriteAllText(work["run/config.json"], Config.ToJson());
            SearchCheckpoint.Save(work["run/checkpoints/step-00000002.ckpt"], search, new DataCursor(0, 0, 0, 0), 2);
            genotypeFromAlpha = SearchFiles.ToJson(GenotypeDeriver.Derive(search.Model.ExportAlphas()));
        }
        var result = CliProcess.Run("genotype", "select", "--run", work["run"], "--data", data.Root, "--method", method,
            "--clips", "2", "--tune-steps", "1", "--population", "4", "--generations", "2", "--parents", "2");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);

        var genotype = SearchFiles.ParseGenotype(result.Stdout, "stdout");
        foreach (var cell in new[] { genotype.Normal, genotype.Reduce })
        {
            Assert.Equal(2 * Config.Steps, cell.Count);
            for (int node = 0; node < Config.Steps; node++)
                Assert.True(cell[2 * node].Input != cell[2 * node + 1].Input && cell[2 * node + 1].Input < node + 2);
            Assert.All(cell, e => Assert.Contains(e.Op, Config.Primitives.Where(p => p != Primitives.None)));
        }
        if (method == SelectionMethods.Argmax) Assert.Equal(genotypeFromAlpha, SearchFiles.ToJson(genotype));
        var report = JsonNode.Parse(File.ReadAllText(work[$"run/selection-{method}.json"]))!;
        Assert.Equal(method, (string)report["method"]!);
        Assert.Equal(SearchFiles.ToJson(genotype), SearchFiles.ToJson(SearchFiles.ParseGenotype(report["genotype"]!.ToJsonString(), "report")));
        if (method != SelectionMethods.Argmax)
        {
            Assert.Equal(2, (int)report["scoring_clips"]!);
            Assert.True((int)report["evaluations"]! > 0);
        }
    }

    [Fact]
    public void AnUnknownMethodIsAUsageErrorThatListsTheMethods()
    {
        var result = CliProcess.Run("genotype", "select", "--run", "nowhere", "--data", data.Root, "--method", "best");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--method: unknown selection method \"best\"; known: argmax, perturbation, perturbation_uniform, evolution", result.Stderr);
    }

    private static float[][] OneHot(IReadOnlyList<GenotypeEdge> kept)
    {
        var rows = Enumerable.Range(0, Primitives.EdgeCount(Config.Steps)).Select(_ => new float[Config.Primitives.Count]).ToArray();
        for (int k = 0; k < kept.Count; k++)
            rows[Primitives.EdgeCount(k / 2) + kept[k].Input][Config.Primitives.ToList().IndexOf(kept[k].Op)] = 1;
        return rows;
    }
}
