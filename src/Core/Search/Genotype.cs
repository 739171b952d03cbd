namespace VideoNas.Core.Search;

/// <summary>An edge kept in a derived cell: the operation and its input (0 = c_{k-2}, 1 = c_{k-1}, 2+i = node i).</summary>
public sealed record GenotypeEdge(string Op, int Input);

/// <summary>A derived architecture: two kept edges per intermediate node, in node order. The content of <c>genotype.json</c>.</summary>
public sealed record Genotype(
    IReadOnlyList<GenotypeEdge> Normal,
    IReadOnlyList<int> NormalConcat,
    IReadOnlyList<GenotypeEdge> Reduce,
    IReadOnlyList<int> ReduceConcat)
{
    public int Steps => Normal.Count / 2;
}
