using VideoNas.Nas;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

public class OperationShapeTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var op in OperationFactory.Known)
            foreach (var (t, s) in new[] { (1, 1), (1, 2), (2, 2) })
                data.Add(op, t, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputIsCeilOfInputOverStrideOnOddSizes(string op, int strideT, int strideS)
    {
        var stride = new Stride3(strideT, strideS);
        using var module = OperationFactory.Create(op, 6, stride);
        foreach (var (t, h, w) in new[] { (3, 7, 5), (5, 9, 3), (1, 4, 6) })
        {
            using var x = randn([2, 6, t, h, w]);
            using var y = module.call(x);
            long Ceil(int size, int by) => (size + by - 1) / by;
            Assert.Equal(new[] { 2L, 6, Ceil(t, strideT), Ceil(h, strideS), Ceil(w, strideS) }, y.shape);
        }
    }

    [Fact]
    public void EveryConfiguredPrimitiveIsBuildable()
    {
        foreach (var p in Primitives.P3D.Concat(Primitives.Spatial2D).Concat(Primitives.Paper)) Assert.Contains(p, OperationFactory.Known);
        Assert.DoesNotContain(Primitives.Spatial2D, p => p.Contains("3x1x1") || p.StartsWith("p3d", StringComparison.Ordinal));
        var e = Assert.Throws<ArgumentException>(() => OperationFactory.Validate(["skip_connect", "conv_9x9"], "cfg.json"));
        Assert.Contains("cfg.json: unknown primitive \"conv_9x9\"", e.Message);
    }

    [Fact]
    public void TemporalReductionHalvesTimeToo()
    {
        using var net = new SearchNetwork(new SearchConfig
        {
            InitChannels = 4, Layers = 3, Steps = 2, Segments = 1, FramesPerSegment = 4, Resolution = 12, ReduceTime = true,
        }, classes: 2);
        using var x = randn([1, 1, 3, 4, 12, 12]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 1, 2 }, y.shape);
    }
}
