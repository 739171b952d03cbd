using VideoNas.Nas;
using VideoNas.Nas.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

/// <summary>The fused edge against the per-operation sum it replaces: the same outputs, gradients and running statistics.</summary>
public class FusedEdgeTests
{
    public static TheoryData<string, int, int, int> Edges()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var space in new[] { "p3d", "2d", "paper" })
            foreach (var (time, space2) in new[] { (1, 1), (1, 2), (2, 2) })
                foreach (int partial in new[] { 1, 4 })
                    data.Add(space, time, space2, partial);
        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void AFusedEdgeComputesThePerOperationSum(string space, int strideTime, int strideSpace, int partial)
    {
        var primitives = Primitives.Spaces[space];
        var stride = new Stride3(strideTime, strideSpace);
        using var reference = new MixedOp(primitives, 8, stride, partial, fused: false);
        using var fused = new MixedOp(primitives, 8, stride, partial, fused: true);
        var a = Run(reference, primitives.Count);
        var b = Run(fused, primitives.Count);

        AssertClose(a.Output, b.Output, "output");
        AssertClose(a.InputGrad, b.InputGrad, "input gradient");
        AssertClose(a.WeightsGrad, b.WeightsGrad, "gradient of the mixing weights");
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        foreach (var (name, t) in a.Tensors) AssertClose(t, b.Tensors[name], name);
        Assert.Contains(a.Tensors.Keys, k => k.EndsWith("running_mean", StringComparison.Ordinal));
    }

    [Fact]
    public void AFusedEdgeCountsTheSameArithmetic()
    {
        // Stacked convolutions still report their multiply-accumulates: FLOPs of a supernet do not change with the form.
        using var reference = new MixedOp(Primitives.P3D, 8, Stride3.One, fused: false);
        using var fused = new MixedOp(Primitives.P3D, 8, Stride3.One, fused: true);
        long macs = Macs(reference, Primitives.P3D.Count);
        Assert.Equal(macs, Macs(fused, Primitives.P3D.Count));
        // By hand, per output element of each 8-channel unit: conv_3x1x1 3·8, the three P3D-3 ops 9·8 + 3·8 each,
        // P3D-A-5 25·8 + 5·8, the two separable ones 9 + 8 each; 2·8·2·8·8 output elements.
        Assert.Equal((3 * 8 + 3 * (9 * 8 + 3 * 8) + 25 * 8 + 5 * 8 + 2 * (9 + 8)) * 2 * 8 * 2 * 8 * 8, macs);
    }

    [Fact]
    public void ASeededSearchFindsTheSameGenotypeFusedOrNot()
    {
        var config = TinySearch.Network with { BatchSize = 2, Epochs = 1, ArchLr = 0.05, Seed = 5 };
        var fused = Search(config with { FusedEdges = true });
        var reference = Search(config with { FusedEdges = false });
        Assert.Equal(reference.Genotype.Normal, fused.Genotype.Normal);
        Assert.Equal(reference.Genotype.Reduce, fused.Genotype.Reduce);
        for (int i = 0; i < reference.Alphas.Length; i++) Assert.Equal(reference.Alphas[i], fused.Alphas[i], 4);
    }

    private static (Genotype Genotype, float[] Alphas) Search(SearchConfig config)
    {
        using var search = new BilevelSearch(config, classes: 3);
        using var generator = new Generator(7);
        for (int step = 0; step < 4; step++)
        {
            using var batch = new ClipBatch(randn([2, 2, 3, 2, 16, 16], generator: generator), tensor(new long[] { step % 3, (step + 1) % 3 }));
            search.ArchStep(batch);
            search.WeightStep(batch);
        }
        var alphas = search.Model.ExportAlphas();
        return (GenotypeDeriver.Derive(alphas), [.. alphas.Normal.SelectMany(r => r), .. alphas.Reduce.SelectMany(r => r)]);
    }

    private static long Macs(MixedOp op, int primitives)
    {
        using var w = softmax(ones(primitives), 0);
        using var model = new EdgeWithWeights(op, w);
        using var input = zeros([2, 8, 2, 8, 8]);
        return Nas.Models.MacCounter.Measure(model, input);
    }

    private sealed record Outcome(Tensor Output, Tensor InputGrad, Tensor WeightsGrad, Dictionary<string, Tensor> Tensors);

    private static Outcome Run(MixedOp op, int primitives)
    {
        SeededInit.Apply(op, 3);
        op.train();
        using var generator = new Generator(9);
        var x = randn([3, 8, 4, 9, 9], generator: generator).requires_grad_();
        var alpha = randn([primitives], generator: generator).requires_grad_();
        var y = op.Forward(x, softmax(alpha, 0));
        var g = randn(y.shape, generator: generator);
        y.mul(g).sum().backward();
        // Gradients of every weight, and the running statistics the forward moved.
        var tensors = op.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name + ".grad", p => p.parameter.grad!.detach().clone());
        foreach (var (name, buffer) in op.named_buffers()) tensors[name] = buffer.detach().clone();
        return new Outcome(y.detach(), x.grad!.detach(), alpha.grad!.detach(), tensors);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(expected.abs().max().item<float>(), 1e-6);
        double error = (expected - actual).abs().max().item<float>() / scale;
        Assert.True(error < 1e-5, $"{what}: relative error {error:0.0e+0}");
    }

    /// <summary>The edge with fixed mixing weights, as a module MacCounter can run.</summary>
    private sealed class EdgeWithWeights(MixedOp op, Tensor weights) : nn.Module<Tensor, Tensor>(nameof(EdgeWithWeights))
    {
        public override Tensor forward(Tensor x) => op.Forward(x, weights);
    }
}
