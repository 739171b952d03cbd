using System.Text.Json.Nodes;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

public class SearchPolicyTests
{
    private static readonly string[] Ops = ["none", "skip_connect", "conv_3x1x1"];

    [Fact]
    public void SkipCapDropsTheWeakestSkipEdgesFirst()
    {
        // steps = 2. Best real weights: e0 skip 0.576, e1 skip 0.787, e2 skip 0.498 (none ties it),
        // e3 skip 0.452, e4 skip 1/3. Uncapped: node 0 keeps e1, e0; node 1 keeps e2, e3, all skip.
        float[][] normal = [[0, 1, 0], [0, 2, 0], [0, 0, -5], [0, 0.5f, 0], [0, 0, 0]];
        float[][] zero = Enumerable.Range(0, 5).Select(_ => new float[3]).ToArray();
        var alphas = new ArchitectureWeights(Ops, 2, normal, zero);
        Assert.Equal(4, GenotypeDeriver.Derive(alphas).Normal.Count(e => e.Op == "skip_connect"));

        var capped = GenotypeDeriver.Derive(alphas, maxSkipConnects: 2);
        // The cap masks the weakest kept skip each round: e3 (0.452; conv now 0.5 takes it), then e2
        // (0.498; its conv is 0.0067 and drops out, e4's skip comes in), then e4 (1/3; conv 0.5).
        // Node 1 ends with conv on inputs 1 and 2, tied at 0.5, lower input first.
        Assert.Equal([new("skip_connect", 1), new("skip_connect", 0), new("conv_3x1x1", 1), new("conv_3x1x1", 2)], capped.Normal);
        Assert.True(capped.Reduce.Count(e => e.Op == "skip_connect") <= 2);
    }

    [Fact]
    public void StabilityCountsTrailingUnchangedEpochs()
    {
        Assert.Equal(0, GenotypeStability.UnchangedEpochs([]));
        Assert.Equal(0, GenotypeStability.UnchangedEpochs(["a"]));
        Assert.Equal(2, GenotypeStability.UnchangedEpochs(["b", "a", "a", "a"]));
        Assert.Equal(0, GenotypeStability.UnchangedEpochs(["a", "a", "b"]));
    }

    [Fact]
    public void HistoryLineHoldsGenotypeAndSoftmaxRowsSummingToOne()
    {
        float[][] rows = [[0, 1, 0], [0, 0, 2]];
        var alphas = new ArchitectureWeights(Ops, 1, rows, rows);
        var line = JsonNode.Parse(SearchFiles.HistoryLine(3, GenotypeDeriver.Derive(alphas), alphas))!;
        Assert.Equal(3, (int)line["epoch"]!);
        Assert.Equal("conv_3x1x1", (string)line["genotype"]!["normal"]![0]![0]!);
        var first = line["softmax_normal"]![0]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(0.5761169, first[1], 5);
        Assert.Equal(1.0, first.Sum(), 5);
    }

    [Fact]
    public void SameSeedAndConfigRepeatExactly()
    {
        var config = new SearchConfig
        {
            InitChannels = 4, Layers = 3, Steps = 2, Segments = 2, FramesPerSegment = 2, Resolution = 12, BatchSize = 2,
            Epochs = 2, ArchLr = 0.05, Seed = 9,
        };
        float[] Run(SearchConfig c)
        {
            using var search = new BilevelSearch(c, classes: 3);
            var g = new Generator(123);
            for (int step = 0; step < 3; step++)
            {
                using var batch = new ClipBatch(randn([2, 2, 3, 2, 12, 12], generator: g), tensor(new long[] { step % 3, 1 }));
                search.ArchStep(batch);
                search.WeightStep(batch);
            }
            return search.Model.ExportAlphas().Normal.SelectMany(r => r).ToArray();
        }
        var a = Run(config);
        Assert.Equal(a, Run(config));
        Assert.NotEqual(a, Run(config with { Seed = 10 }));
    }
}
