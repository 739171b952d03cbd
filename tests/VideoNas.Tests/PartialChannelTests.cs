using VideoNas.Nas;
using VideoNas.Nas.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

public class PartialChannelTests
{
    [Fact]
    public void ChannelShuffleInterleavesTheGroups()
    {
        using var x = arange(6, ScalarType.Float32).reshape(1, 6, 1, 1, 1);
        using var y = MixedOp.ChannelShuffle(x, 2);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, TensorBytes.ToFloats(y));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    public void PartialMixedOpKeepsChannelsAndStridesOddSizes(int strideT, int strideS)
    {
        using var op = new MixedOp(Primitives.P3D, 8, new Stride3(strideT, strideS), partialChannels: 4);
        using var x = randn([2, 8, 3, 7, 5]);
        using var w = softmax(randn(Primitives.P3D.Count), 0);
        using var y = op.Forward(x, w);
        Assert.Equal(new long[] { 2, 8, (3 + strideT - 1) / strideT, (7 + strideS - 1) / strideS, (5 + strideS - 1) / strideS }, y.shape);
    }

    [Fact]
    public void EdgeNormalisationWeighsTheRankingOfEdges()
    {
        string[] ops = ["none", "skip_connect", "conv_3x1x1"];
        // steps = 1: edge 0 has the stronger op (0.79 vs 0.58) but β favours edge 1:
        // softmax(β) = (0.119, 0.881), so scores are 0.787·0.119 = 0.094 and 0.576·0.881 = 0.508.
        float[][] rows = [[0, 2, 0], [0, 0, 1]];
        var plain = new ArchitectureWeights(ops, 1, rows, rows);
        var weighted = plain with { BetasNormal = [0, 2], BetasReduce = [0, 0] };
        Assert.Equal([new("skip_connect", 0), new("conv_3x1x1", 1)], GenotypeDeriver.Derive(plain).Normal);
        Assert.Equal([new("conv_3x1x1", 1), new("skip_connect", 0)], GenotypeDeriver.Derive(weighted).Normal);
        Assert.Equal([0.11920292f, 0.8807971f], GenotypeDeriver.EdgeScale([0, 2], 1));

        var back = SearchFiles.ParseAlphas(SearchFiles.ToJson(weighted));
        Assert.Equal(weighted.BetasNormal, back.BetasNormal);
        var e = Assert.Throws<FormatException>(() => SearchFiles.ParseAlphas(SearchFiles.ToJson(plain with { BetasNormal = [1], BetasReduce = [1] }), "a.json"));
        Assert.Contains("\"betas_normal\" has 1 values, but steps = 1 needs 2", e.Message);
    }

    [Fact]
    public void PcDartsSearchStepsMoveAlphaAndBeta()
    {
        var config = new SearchConfig
        {
            InitChannels = 8, Layers = 3, Steps = 2, Segments = 1, FramesPerSegment = 2, Resolution = 12, BatchSize = 2,
            Epochs = 1, ArchLr = 0.05, PartialChannels = 4, EdgeNormalization = true,
        };
        using var search = new BilevelSearch(config, classes: 3);
        Assert.Equal(4, search.Model.ArchParameters.Count);
        using var batch = new ClipBatch(randn([2, 1, 3, 2, 12, 12]), tensor(new long[] { 0, 2 }));
        var before = search.Model.ExportAlphas();
        search.ArchStep(batch);
        search.WeightStep(batch);
        var after = search.Model.ExportAlphas();
        Assert.NotEqual(before.BetasNormal, after.BetasNormal);
        Assert.NotEqual(before.Normal.SelectMany(r => r), after.Normal.SelectMany(r => r));
    }
}
