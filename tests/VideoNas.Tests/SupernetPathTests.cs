using VideoNas.Nas;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

/// <summary>A genotype's path through the supernet: the sub-network one-shot ranking and single-path training run.</summary>
public class SupernetPathTests
{
    // Without partial channels only: with them, an edge that is not kept still passes its bypass channels in the supernet.
    [Fact]
    public void APathComputesTheSupernetWithAlphaOneHotOnTheGenotype()
    {
        var config = TinySearch.Network with { Primitives = Primitives.P3D };
        using var net = new SearchNetwork(config, classes: 3);
        SeededInit.Apply(net, 7);
        var genotype = RandomGenotype.Sample(config.Primitives, config.Steps, 3);
        OneHot(net, "alphas_normal", genotype.Normal, config);
        OneHot(net, "alphas_reduce", genotype.Reduce, config);
        using var clips = randn([2, 2, 3, 2, 16, 16], generator: new Generator(5));
        net.train();
        using var noGrad = no_grad();
        using var supernet = net.call(clips);
        net.Path = genotype;
        using var path = net.call(clips);
        Assert.True(path.allclose(supernet, rtol: 1e-4, atol: 1e-5), $"largest difference {path.sub(supernet).abs().max().item<float>()}");
        net.Path = null;
        using var again = net.call(clips);
        Assert.True(again.allclose(supernet, rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void APathsBackwardReachesItsOperationsOnlyAndNotAlpha()
    {
        var config = TinySearch.Network with { Primitives = Primitives.P3D };
        using var net = new SearchNetwork(config, classes: 3);
        var genotype = RandomGenotype.Sample(config.Primitives, config.Steps, 0) with
        {
            Normal = [new("conv_1x3x3", 0), new("skip_connect", 1), new("conv_1x3x3", 0), new("max_pool_1x3x3", 2)],
        };
        net.Path = genotype;
        net.train();
        using var clips = randn([2, 2, 3, 2, 16, 16]);
        var parameters = net.named_parameters().ToList();
        var grads = autograd.grad([net.call(clips).sum()], parameters.Select(p => (Tensor)p.parameter).ToList(), allow_unused: true);
        bool Reached(string name) => grads[parameters.FindIndex(p => p.name == name)] is { IsInvalid: false } g && g.abs().sum().item<float>() > 0;
        Assert.False(Reached("alphas_normal"));
        Assert.False(Reached("alphas_reduce"));
        // Cell 0 is a normal cell; its edge 0 keeps conv_1x3x3 (primitive 4), edge 1 (c_{k-1} into node 0) skip_connect.
        int conv = Primitives.P3D.ToList().IndexOf("conv_1x3x3"), p3d = Primitives.P3D.ToList().IndexOf("p3d_a_3");
        var edge0 = parameters.Where(p => p.name.StartsWith($"_cells.0._edges.0._ops.{conv}.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(edge0);
        Assert.All(edge0, p => Assert.True(Reached(p.name), p.name));
        Assert.All(parameters.Where(p => p.name.StartsWith($"_cells.0._edges.0._ops.{p3d}.", StringComparison.Ordinal)), p => Assert.False(Reached(p.name), p.name));
    }

    [Fact]
    public void APathOutsideTheSpaceIsRefusedNamingTheOperation()
    {
        var config = TinySearch.Network with { Primitives = ["none", "skip_connect", "conv_1x3x3"] };
        using var net = new SearchNetwork(config, classes: 3);
        var genotype = RandomGenotype.Sample(Primitives.P3D, config.Steps, 0) with
        {
            Normal = [new("p3d_a_3", 0), new("skip_connect", 1), new("conv_1x3x3", 0), new("skip_connect", 2)],
        };
        var e = Assert.Throws<ArgumentException>(() => net.Path = genotype);
        Assert.Contains("\"p3d_a_3\" is not in this supernet's space", e.Message);
        Assert.Throws<ArgumentException>(() => net.Path = genotype with { Normal = genotype.Normal.Take(2).ToList() });
    }

    /// <summary>α rows with logit 100 on the genotype's operation of each kept edge and on none for the others: softmax one-hot in float32.</summary>
    private static void OneHot(SearchNetwork net, string name, IReadOnlyList<GenotypeEdge> kept, SearchConfig config)
    {
        var alphas = net.named_parameters().Single(p => p.name == name).parameter;
        var rows = new float[Primitives.EdgeCount(config.Steps), config.Primitives.Count];
        var ops = config.Primitives.ToList();
        var keptEdges = new HashSet<int>();
        for (int k = 0; k < kept.Count; k++)
        {
            int node = k / 2, edge = node * (node + 3) / 2 + kept[k].Input;
            rows[edge, ops.IndexOf(kept[k].Op)] = 100;
            keptEdges.Add(edge);
        }
        for (int edge = 0; edge < rows.GetLength(0); edge++)
            if (!keptEdges.Contains(edge)) rows[edge, ops.IndexOf("none")] = 100;
        using var noGrad = no_grad();
        alphas.copy_(tensor(rows));
    }
}
