namespace VideoNas.Core.Search;

/// <summary>
/// Raw architecture weights α (no softmax), one row per edge in DARTS order and one column per primitive.
/// This is the content of <c>alphas.json</c>. With PC-DARTS edge normalisation it also carries the raw
/// edge weights β, one per edge; each node's incoming β are softmaxed together and scale its edges.
/// </summary>
public sealed record ArchitectureWeights(
    IReadOnlyList<string> Primitives,
    int Steps,
    float[][] Normal,
    float[][] Reduce)
{
    public float[]? BetasNormal { get; init; }
    public float[]? BetasReduce { get; init; }

    /// <summary>Throws with the offending field named when the shape is inconsistent.</summary>
    public void Validate(string source = "alphas")
    {
        if (Primitives.Count == 0) throw new FormatException($"{source}: \"primitives\" is empty");
        if (Primitives.Distinct().Count() != Primitives.Count)
            throw new FormatException($"{source}: \"primitives\" has duplicate names");
        if (Primitives.All(p => p == Search.Primitives.None))
            throw new FormatException($"{source}: \"primitives\" has no operation other than \"none\"");
        if (Steps < 1) throw new FormatException($"{source}: \"steps\" must be at least 1, got {Steps}");
        int edges = Search.Primitives.EdgeCount(Steps);
        CheckRows(source, "normal", Normal, edges);
        CheckRows(source, "reduce", Reduce, edges);
        if ((BetasNormal is null) != (BetasReduce is null))
            throw new FormatException($"{source}: give both \"betas_normal\" and \"betas_reduce\", or neither");
        foreach (var (field, betas) in new[] { ("betas_normal", BetasNormal), ("betas_reduce", BetasReduce) })
            if (betas is not null && betas.Length != edges)
                throw new FormatException($"{source}: \"{field}\" has {betas.Length} values, but steps = {Steps} needs {edges}");
    }

    private void CheckRows(string source, string field, float[][] rows, int edges)
    {
        if (rows.Length != edges)
            throw new FormatException($"{source}: \"{field}\" has {rows.Length} rows, but steps = {Steps} needs {edges}");
        for (int e = 0; e < rows.Length; e++)
        {
            if (rows[e].Length != Primitives.Count)
                throw new FormatException($"{source}: \"{field}\"[{e}] has {rows[e].Length} values, but there are {Primitives.Count} primitives");
            if (rows[e].Any(v => !float.IsFinite(v)))
                throw new FormatException($"{source}: \"{field}\"[{e}] holds a value that is not a finite number");
        }
    }
}
