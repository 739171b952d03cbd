namespace VideoNas.Core.Search;

/// <summary>Names of the candidate operations. The list used by a search is configuration.</summary>
public static class Primitives
{
    public const string None = "none";
    public const string SkipConnect = "skip_connect";

    /// <summary>The paper's pseudo-3D search space.</summary>
    public static readonly IReadOnlyList<string> P3D =
    [
        None, SkipConnect, "max_pool_1x3x3", "avg_pool_1x3x3",
        "conv_1x3x3", "conv_3x1x1", "p3d_a_3", "p3d_b_3", "p3d_c_3",
        "dil_conv_1x3x3", "p3d_a_5",
    ];

    /// <summary>The ablation: the same space without any temporal kernel.</summary>
    public static readonly IReadOnlyList<string> Spatial2D =
    [
        None, SkipConnect, "max_pool_1x3x3", "avg_pool_1x3x3", "conv_1x3x3", "dil_conv_1x3x3",
    ];

    /// <summary>
    /// The paper's own table of operations as far as a copy of it shows: DARTS' set in 3-D (1×1×1 and 3×3×3
    /// convolutions, 3×3×3 separable and dilated convolutions, 3×3×3 max and average pooling, skip, zero).
    /// </summary>
    public static readonly IReadOnlyList<string> Paper =
    [
        None, SkipConnect, "max_pool_3x3x3", "avg_pool_3x3x3", "conv_1x1x1", "conv_3x3x3", "sep_conv_3x3x3", "dil_conv_3x3x3",
    ];

    /// <summary>Number of edges in a DARTS cell: node i has 2 + i inputs.</summary>
    public static int EdgeCount(int steps) => Enumerable.Range(0, steps).Sum(i => 2 + i);
}
