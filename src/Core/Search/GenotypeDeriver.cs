namespace VideoNas.Core.Search;

/// <summary>
/// DARTS' discretisation: softmax over each edge; rank each node's incoming edges by their largest
/// non-<c>none</c> weight and keep the top 2; each kept edge takes its argmax op excluding <c>none</c>.
/// Ties go to the lower index (edge and op), as Python's stable sort and strict-greater argmax do in DARTS.
/// </summary>
public static class GenotypeDeriver
{
    public const int EdgesPerNode = 2;

    /// <param name="maxSkipConnects">
    /// When positive, a cell keeps at most this many skip_connect edges: the kept skip edge with the
    /// weakest skip weight loses its skip option and the cell is derived again, until the cap holds
    /// (P-DARTS' remedy for skip collapse).
    /// </param>
    public static Genotype Derive(ArchitectureWeights alphas, int maxSkipConnects = 0)
    {
        alphas.Validate();
        var concat = Enumerable.Range(2, alphas.Steps).ToList();
        return new Genotype(
            DeriveCapped(alphas.Normal, EdgeScale(alphas.BetasNormal, alphas.Steps), alphas.Primitives, alphas.Steps, maxSkipConnects), concat,
            DeriveCapped(alphas.Reduce, EdgeScale(alphas.BetasReduce, alphas.Steps), alphas.Primitives, alphas.Steps, maxSkipConnects), concat);
    }

    /// <summary>PC-DARTS edge normalisation: softmax of β over each node's incoming edges; all ones without β.</summary>
    public static float[] EdgeScale(float[]? betas, int steps)
    {
        var scale = new float[Primitives.EdgeCount(steps)];
        for (int node = 0, start = 0; node < steps; start += node + 2, node++)
        {
            var weights = betas is null ? Enumerable.Repeat(1f, node + 2).ToArray() : Softmax(betas.AsSpan(start, node + 2).ToArray());
            weights.CopyTo(scale, start);
        }
        return scale;
    }

    private static List<GenotypeEdge> DeriveCapped(float[][] rows, float[] scale, IReadOnlyList<string> primitives, int steps, int cap)
    {
        int skip = primitives.ToList().IndexOf(Primitives.SkipConnect);
        var cell = DeriveCell(rows, scale, primitives, steps);
        if (cap <= 0 || skip < 0) return cell;
        var masked = rows.Select(r => r.ToArray()).ToArray();
        while (cell.Count(e => e.Op == Primitives.SkipConnect) > cap)
        {
            var weakest = KeptEdgeRows(cell, steps)
                .Where(k => k.Edge.Op == Primitives.SkipConnect)
                .MinBy(k => Softmax(masked[k.Row])[skip] * scale[k.Row]);
            masked[weakest.Row][skip] = float.NegativeInfinity;
            cell = DeriveCell(masked, scale, primitives, steps);
        }
        return cell;
    }

    /// <summary>The alpha row of each kept edge: node i's inputs start at row Σ_{j&lt;i}(2 + j).</summary>
    private static IEnumerable<(GenotypeEdge Edge, int Row)> KeptEdgeRows(List<GenotypeEdge> cell, int steps) =>
        cell.Select((e, i) => (e, Primitives.EdgeCount(i / EdgesPerNode) + e.Input));

    /// <summary>Softmax of one edge's row; −∞ entries (masked options) get weight 0.</summary>
    public static float[] Softmax(IReadOnlyList<float> row)
    {
        float max = row.Max();
        var exp = row.Select(v => Math.Exp(v - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select(v => (float)(v / sum)).ToArray();
    }

    private static List<GenotypeEdge> DeriveCell(float[][] rows, float[] scale, IReadOnlyList<string> primitives, int steps)
    {
        var kept = new List<GenotypeEdge>(steps * EdgesPerNode);
        int start = 0;
        for (int node = 0; node < steps; node++)
        {
            int inputs = node + 2;
            var candidates = Enumerable.Range(0, inputs)
                .Select(input => (Input: input, Best: BestOp(Softmax(rows[start + input]), primitives), Scale: scale[start + input]))
                .OrderByDescending(c => c.Best.Weight * c.Scale) // LINQ's OrderBy is stable: ties keep the lower input first.
                .Take(Math.Min(EdgesPerNode, inputs));
            kept.AddRange(candidates.Select(c => new GenotypeEdge(primitives[c.Best.Index], c.Input)));
            start += inputs;
        }
        return kept;
    }

    private static (int Index, float Weight) BestOp(float[] weights, IReadOnlyList<string> primitives)
    {
        int best = -1;
        for (int k = 0; k < weights.Length; k++)
        {
            if (primitives[k] == Primitives.None) continue;
            if (best < 0 || weights[k] > weights[best]) best = k;
        }
        return (best, weights[best]);
    }
}
