namespace VideoNas.Core.Search;

/// <summary>
/// A genotype drawn uniformly from those the DARTS derivation rule can produce for a search space: each
/// intermediate node keeps two distinct inputs out of its 2 + j (the cell inputs and the nodes before it),
/// each with an operation other than none; every intermediate node is concatenated. The baseline a search
/// must beat (Li and Talwalkar 2019; Yang et al. 2020). The same seed gives the same genotype everywhere.
/// </summary>
public static class RandomGenotype
{
    public static Genotype Sample(IReadOnlyList<string> primitives, int steps, long seed)
    {
        var operations = primitives.Where(p => p != Primitives.None).Distinct().ToList();
        if (operations.Count == 0) throw new ArgumentException("the primitives need an operation other than \"none\"", nameof(primitives));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "a cell needs at least one intermediate node");
        var concat = Enumerable.Range(2, steps).ToList();
        return new Genotype(Cell(operations, steps, SeedStream.For(seed, 0, 0)), concat, Cell(operations, steps, SeedStream.For(seed, 1, 0)), concat);
    }

    private static List<GenotypeEdge> Cell(List<string> operations, int steps, Random random)
    {
        var edges = new List<GenotypeEdge>();
        for (int node = 0; node < steps; node++)
        {
            int first = random.Next(node + 2), second = random.Next(node + 1);
            // The second input is drawn from the others: shift past the first.
            if (second >= first) second++;
            foreach (int input in new[] { Math.Min(first, second), Math.Max(first, second) })
                edges.Add(new GenotypeEdge(operations[random.Next(operations.Count)], input));
        }
        return edges;
    }
}
