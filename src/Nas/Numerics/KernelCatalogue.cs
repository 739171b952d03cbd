using VideoNas.Core.Search;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Numerics;

/// <summary>
/// Everything the CLI can build, as kernel checks: every primitive in its search form (affine-free
/// normalisation) and its derived form, at stride 1 and at the reduction strides; the stem and the
/// reduction parts; each space's supernet edge in its fused form (stacked and grouped convolutions of shapes
/// no single operation has); a derived network; each manual baseline at a small width; and one forward and
/// backward of a small supernet, α included. Shapes follow the demo (8 channels, 2 frames, 32 px, 32 folded
/// clips), where the AVX-512 fault was seen.
/// </summary>
public static class KernelCatalogue
{
    /// <summary>Changes whenever the checks change, so cached verdicts from older checks are not trusted.</summary>
    public const int Version = 2;

    private const long Channels = 8;
    private static readonly long[] CellInput = [32, Channels, 2, 32, 32];
    private static readonly Stride3 SpatialReduce = new(1, 2);
    private static readonly Stride3 SpaceTimeReduce = new(2, 2);

    /// <summary>The checks whose names contain <paramref name="text"/> (any case); all of them when it is null.</summary>
    public static IReadOnlyList<KernelCheck> Matching(string? text)
    {
        if (text is null) return All();
        var chosen = All().Where(c => c.Name.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return chosen.Count > 0 ? chosen
            : throw new ArgumentException($"no kernel check's name contains \"{text}\"; names look like \"{All()[0].Name}\"");
    }

    public static IReadOnlyList<KernelCheck> All()
    {
        // The whole networks first: each runs most kernels, so a probe that stops at the first failure rejects a bad route in seconds.
        var checks = new List<KernelCheck>
        {
            new("search step of a small supernet (w and α gradients)", SmallSupernet, [4, 2, 3, 2, 16, 16]),
            new("derived network (P3D genotype, 3 cells)", DerivedP3d, [8, 3, 2, 32, 32]),
        };
        foreach (var op in OperationFactory.Known.Where(p => p != Primitives.None))
        {
            foreach (var stride in new[] { Stride3.One, SpatialReduce, SpaceTimeReduce })
                checks.Add(Op(op, stride, Norm.Batch.AffineFree, "search"));
            checks.Add(Op(op, Stride3.One, Norm.Batch, "derived"));
        }
        foreach (var (space, primitives) in Primitives.Spaces)
            foreach (var stride in new[] { Stride3.One, SpatialReduce, SpaceTimeReduce })
                checks.Add(new KernelCheck($"{space} edge (fused form, stride {stride.Time}x{stride.Space}x{stride.Space})",
                    () => new WeightedEdge(new MixedOp(primitives, Channels, stride), primitives.Count), CellInput));
        checks.Add(new KernelCheck("stem conv 3x3x3 + batch norm", () => nn.Sequential(
            Layers.Conv3d(3, 3 * Channels, (3, 3, 3), padding: (1, 1, 1)), Layers.BatchNorm3d(3 * Channels)), [32, 3, 2, 32, 32]));
        checks.Add(new KernelCheck("cell preprocess conv 1x1x1", () => new ConvUnit(2 * Channels, Channels, (1, 1, 1), Stride3.One), [32, 2 * Channels, 2, 16, 16]));
        foreach (var stride in new[] { SpatialReduce, SpaceTimeReduce })
            checks.Add(new KernelCheck($"factorized reduce stride {stride.Time}x{stride.Space}x{stride.Space}",
                () => new FactorizedReduce(Channels, 2 * Channels, stride), CellInput));
        checks.AddRange(BaselineBlocks());
        return checks;
    }

    /// <summary>
    /// The manual baselines block by block, at the widths and map sizes of a width-0.125 baseline. Whole
    /// deep baselines are no reference: BatchNorm over the last blocks' few voxels makes float32 and float64
    /// drift apart by 10% with correct kernels (measured), and C3D's dropout differs between the passes.
    /// </summary>
    private static IEnumerable<KernelCheck> BaselineBlocks()
    {
        long[] input = [4, 16, 8, 28, 28];
        yield return new("c3d conv 3x3x3 + pool", () => nn.Sequential(C3D.Conv(16, 16), C3D.Pool(2)), input);
        foreach (var stride in new[] { 1, 2 })
        {
            foreach (var variant in Enum.GetValues<P3dVariant>())
                yield return new($"p3d bottleneck {variant} stride {stride}", () => new P3dResNet.Bottleneck(variant, 16, 8, stride), input);
            foreach (var kind in Enum.GetValues<VideoResNetKind>())
                yield return new($"{(kind == VideoResNetKind.R3D ? "r3d18" : "r2plus1d18")} basic block stride {stride}",
                    () => new VideoResNet.BasicBlock(kind, 16, 16 * stride, stride), input);
        }
    }

    private static KernelCheck Op(string op, Stride3 stride, Norm norm, string form) =>
        new($"{op} ({form} form, stride {stride.Time}x{stride.Space}x{stride.Space})",
            () => OperationFactory.Create(op, Channels, stride, norm), CellInput);

    private static nn.Module<Tensor, Tensor> DerivedP3d()
    {
        GenotypeEdge[] normal = [new("p3d_a_3", 0), new("p3d_b_3", 1), new("p3d_c_3", 0), new("conv_3x1x1", 2)];
        GenotypeEdge[] reduce = [new("p3d_a_5", 0), new("dil_conv_1x3x3", 1), new("conv_1x3x3", 1), new("max_pool_1x3x3", 2)];
        return new DerivedNetwork(new Genotype(normal, [2, 3], reduce, [2, 3]), classes: 5, channels: 4, layers: 3, auxiliary: false);
    }

    /// <summary>An edge mixed by softmax(α) of its own α, so the check covers α's gradient too.</summary>
    private sealed class WeightedEdge : nn.Module<Tensor, Tensor>
    {
        private readonly MixedOp edge;
        private readonly TorchSharp.Modules.Parameter alphas_edge;

        public WeightedEdge(MixedOp edge, int primitives) : base(nameof(WeightedEdge))
        {
            this.edge = edge;
            alphas_edge = new TorchSharp.Modules.Parameter(zeros(primitives));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var weights = nn.functional.softmax(alphas_edge, 0);
            return edge.Forward(x, weights);
        }
    }

    private static nn.Module<Tensor, Tensor> SmallSupernet() => new SearchNetwork(new SearchConfig
    {
        InitChannels = 4, Layers = 3, Steps = 2, Segments = 2, FramesPerSegment = 2, Resolution = 16, BatchSize = 4,
    }, classes: 5);
}
