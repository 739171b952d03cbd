using VideoNas.Core.Search;

namespace VideoNas.Core.Selection;

/// <summary>
/// The weights a supernet mixes each edge's operations with, given row by row ([edge][primitive], per cell type)
/// instead of softmax(α): DARTS-PT's projected weights, where a decided edge is one-hot, a dropped edge all zero and
/// the operation under test masked out.
/// </summary>
public sealed record EdgeMixing(float[][] Normal, float[][] Reduce)
{
    /// <summary>softmax(α) per edge, scaled by β's edge weights where there are any; or 1/|primitives| everywhere (α held uniform).</summary>
    public static EdgeMixing From(ArchitectureWeights alphas, bool uniform)
    {
        alphas.Validate();
        float[][] Rows(float[][] alpha, float[]? betas)
        {
            var scale = GenotypeDeriver.EdgeScale(betas, alphas.Steps);
            return alpha.Select((row, e) => (uniform ? Enumerable.Repeat(1f / row.Length, row.Length).ToArray() : GenotypeDeriver.Softmax(row))
                .Select(w => w * (uniform ? 1f : scale[e])).ToArray()).ToArray();
        }
        return new EdgeMixing(Rows(alphas.Normal, alphas.BetasNormal), Rows(alphas.Reduce, alphas.BetasReduce));
    }

    public float[][] Of(bool reduce) => reduce ? Reduce : Normal;

    /// <summary>A copy with one row of one cell type replaced.</summary>
    public EdgeMixing WithRow(bool reduce, int edge, float[] row)
    {
        float[][] Replaced(float[][] rows) => rows.Select((r, e) => e == edge ? row : r).ToArray();
        return reduce ? this with { Reduce = Replaced(Reduce) } : this with { Normal = Replaced(Normal) };
    }
}
