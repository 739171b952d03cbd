using VideoNas.Core.Search;

namespace VideoNas.Nas.Supernet;

/// <summary>Builds a candidate operation from its name. Unknown names are refused with the list of known ones.</summary>
public static class OperationFactory
{
    private delegate nn.Module<Tensor, Tensor> Builder(long channels, Stride3 stride, Norm norm);

    private static readonly Dictionary<string, Builder> Builders = new(StringComparer.Ordinal)
    {
        [Primitives.None] = (c, s, n) => new Zero(s),
        [Primitives.SkipConnect] = (c, s, n) => s.IsOne ? new Identity() : new FactorizedReduce(c, c, s, n),
        ["max_pool_1x3x3"] = (c, s, n) => new SpatialPool(max: true, c, s, n),
        ["avg_pool_1x3x3"] = (c, s, n) => new SpatialPool(max: false, c, s, n),
        ["conv_1x3x3"] = (c, s, n) => new ConvUnit(c, c, (1, 3, 3), s, separable: true, norm: n),
        ["conv_3x1x1"] = (c, s, n) => new ConvUnit(c, c, (3, 1, 1), s, norm: n),
        ["dil_conv_1x3x3"] = (c, s, n) => new ConvUnit(c, c, (1, 3, 3), s, dilation: (1, 2, 2), separable: true, norm: n),
        ["p3d_a_3"] = (c, s, n) => new P3dOp(P3dVariant.A, c, 3, s, n),
        ["p3d_b_3"] = (c, s, n) => new P3dOp(P3dVariant.B, c, 3, s, n),
        ["p3d_c_3"] = (c, s, n) => new P3dOp(P3dVariant.C, c, 3, s, n),
        ["p3d_a_5"] = (c, s, n) => new P3dOp(P3dVariant.A, c, 5, s, n),
        // The paper's 3-D DARTS space (Primitives.Paper); separable and dilated as DARTS builds them in 2-D.
        ["max_pool_3x3x3"] = (c, s, n) => new SpatialPool(max: true, c, s, n, temporal: true),
        ["avg_pool_3x3x3"] = (c, s, n) => new SpatialPool(max: false, c, s, n, temporal: true),
        ["conv_1x1x1"] = (c, s, n) => new ConvUnit(c, c, (1, 1, 1), s, norm: n),
        ["conv_3x3x3"] = (c, s, n) => new ConvUnit(c, c, (3, 3, 3), s, norm: n),
        ["sep_conv_3x3x3"] = (c, s, n) => nn.Sequential(
            new ConvUnit(c, c, (3, 3, 3), s, separable: true, norm: n), new ConvUnit(c, c, (3, 3, 3), Stride3.One, separable: true, norm: n)),
        ["dil_conv_3x3x3"] = (c, s, n) => new ConvUnit(c, c, (3, 3, 3), s, dilation: (2, 2, 2), separable: true, norm: n),
    };

    public static IReadOnlyCollection<string> Known => Builders.Keys;

    public static nn.Module<Tensor, Tensor> Create(string name, long channels, Stride3 stride, Norm? norm = null) =>
        Builders.TryGetValue(name, out var build)
            ? build(channels, stride, norm ?? Norm.Batch)
            : throw new ArgumentException($"unknown operation \"{name}\"; known: {string.Join(", ", Builders.Keys)}", nameof(name));

    /// <summary>Throws naming the first unknown primitive, before any module is built.</summary>
    public static void Validate(IEnumerable<string> primitives, string source)
    {
        foreach (var p in primitives)
            if (!Builders.ContainsKey(p))
                throw new ArgumentException($"{source}: unknown primitive \"{p}\"; known: {string.Join(", ", Builders.Keys)}");
    }
}
