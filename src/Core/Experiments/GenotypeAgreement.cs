using VideoNas.Core.Search;

namespace VideoNas.Core.Experiments;

/// <summary>One kept edge of a derived cell: into node <see cref="Node"/> from <see cref="Input"/>, with <see cref="Op"/>.</summary>
public sealed record CellEdge(string Cell, int Node, int Input, string Op);

/// <summary>An edge some seed kept, and the share of seeds that kept exactly it (same cell, node, input and op).</summary>
public sealed record EdgeShare(CellEdge Edge, double Share, IReadOnlyList<long> Seeds);

/// <summary>
/// How far the seeds of an experiment agree on the architecture. A node's two edges are compared as a set
/// (the deriver's order within a node is by strength, which says nothing about the architecture). A seed's
/// agreement is the mean share of its edges; the medoid is the seed whose genotype the others agree with most.
/// </summary>
public sealed record GenotypeAgreement(IReadOnlyList<EdgeShare> Edges, IReadOnlyDictionary<long, double> BySeed, double Mean, long Medoid)
{
    public static GenotypeAgreement Of(IReadOnlyDictionary<long, Genotype> genotypes)
    {
        if (genotypes.Count == 0) throw new ArgumentException("no genotypes to compare", nameof(genotypes));
        var edgesOf = genotypes.ToDictionary(g => g.Key, g => EdgesOf(g.Value).ToHashSet());
        var shares = edgesOf.SelectMany(s => s.Value.Select(e => (Edge: e, Seed: s.Key)))
            .GroupBy(x => x.Edge)
            .Select(g => new EdgeShare(g.Key, (double)g.Count() / genotypes.Count, g.Select(x => x.Seed).Order().ToList()))
            .OrderBy(e => e.Edge.Cell, StringComparer.Ordinal).ThenBy(e => e.Edge.Node).ThenByDescending(e => e.Share)
            .ThenBy(e => e.Edge.Input).ThenBy(e => e.Edge.Op, StringComparer.Ordinal)
            .ToList();
        var share = shares.ToDictionary(s => s.Edge, s => s.Share);
        var bySeed = edgesOf.ToDictionary(s => s.Key, s => s.Value.Average(e => share[e]));
        long medoid = bySeed.OrderByDescending(s => s.Value).ThenBy(s => s.Key).First().Key;
        return new GenotypeAgreement(shares, bySeed, bySeed.Values.Average(), medoid);
    }

    /// <summary>
    /// The mean agreement <paramref name="seeds"/> genotypes drawn uniformly at random would have: node j keeps two of
    /// its j + 2 inputs, each with one of <paramref name="operations"/> operations (none excluded), so another seed keeps
    /// a given edge with probability 2 / (j + 2) / operations; a seed always agrees with itself.
    /// </summary>
    public static double Chance(int seeds, int steps, int operations)
    {
        double p = Enumerable.Range(0, steps).Average(j => 2.0 / (j + 2) / operations);
        return (1 + (seeds - 1) * p) / seeds;
    }

    public static IEnumerable<CellEdge> EdgesOf(Genotype g) =>
        g.Normal.Select((e, i) => new CellEdge("normal", i / 2, e.Input, e.Op))
            .Concat(g.Reduce.Select((e, i) => new CellEdge("reduce", i / 2, e.Input, e.Op)));
}
