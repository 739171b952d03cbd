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

    /// <summary>Every operation name VideoNas builds (the supernet's factory knows exactly these).</summary>
    public static IReadOnlyList<string> All => [.. P3D.Union(Spatial2D).Union(Paper)];

    /// <summary>The named search spaces a command line may ask for.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Spaces = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["p3d"] = P3D, ["2d"] = Spatial2D, ["paper"] = Paper,
    };

    /// <summary>A named space (p3d, 2d, paper) or a comma-separated list of operation names, each checked.</summary>
    public static IReadOnlyList<string> Parse(string text, string source)
    {
        if (Spaces.TryGetValue(text, out var space)) return space;
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names.Where(n => !All.Contains(n)))
            throw new FormatException($"{source}: unknown operation \"{name}\"; use {string.Join(", ", Spaces.Keys)} or a list of: {string.Join(", ", All)}");
        if (!names.Any(n => n != None)) throw new FormatException($"{source}: needs an operation other than \"{None}\"");
        return names;
    }

    /// <summary>Number of edges in a DARTS cell: node i has 2 + i inputs.</summary>
    public static int EdgeCount(int steps) => Enumerable.Range(0, steps).Sum(i => 2 + i);
}
