using VideoNas.Core.Search;

namespace VideoNas.Core.Selection;

/// <summary>
/// The evolutionary architecture search of single-path one-shot NAS (Guo et al., ECCV 2020): a population of
/// genotypes, each generation keeping the <c>parents</c> fittest ever seen and breeding the next from them, half by
/// mutation (each kept edge's operation, and each node's pair of inputs, redrawn with probability
/// <c>mutation</c>) and half by crossover (each node's two edges from either parent). Every genotype is scored once;
/// the fitness (a trained supernet's one-shot accuracy on held-out clips) is behind a delegate, so the search is
/// tested here without one.
/// </summary>
public static class EvolutionarySearch
{
    private const int Stream = 904; // the draws of the search, apart from every other stream of a seed

    public sealed record Settings(int Population, int Generations, int Parents, double Mutation)
    {
        /// <summary>SPOS' rule at a CPU's budget: 16 × 8 genotypes (their paper: 50 × 20), breeding from the best 6, mutation 0.1 as theirs.</summary>
        public static readonly Settings Default = new(Population: 16, Generations: 8, Parents: 6, Mutation: 0.1);

        public void Validate()
        {
            if (Population < 2) throw new ArgumentException($"population must be at least 2, got {Population}");
            if (Generations < 1) throw new ArgumentException($"generations must be at least 1, got {Generations}");
            if (Parents < 1 || Parents > Population) throw new ArgumentException($"parents must be between 1 and the population ({Population}), got {Parents}");
            if (Mutation is <= 0 or > 1) throw new ArgumentException($"mutation must be a probability above 0, got {Mutation}");
        }
    }

    /// <summary>The best genotype found, its fitness, and the best fitness after each generation.</summary>
    public sealed record Result(Genotype Best, double Fitness, IReadOnlyList<double> BestByGeneration, int Evaluations);

    public static Result Run(IReadOnlyList<string> primitives, int steps, Settings settings, Func<Genotype, double> fitness, long seed,
        Action<int, double>? generationDone = null)
    {
        settings.Validate();
        var operations = primitives.Where(p => p != Primitives.None).Distinct().ToList();
        var random = SeedStream.For(seed, Stream, 0);
        var scored = new Dictionary<string, (Genotype Genotype, double Fitness)>(StringComparer.Ordinal);
        var bestByGeneration = new List<double>();
        var population = new List<Genotype>();
        Fill(population, settings.Population, () => RandomGenotype.Sample(primitives, steps, random.NextInt64()), scored);
        for (int generation = 0; generation < settings.Generations; generation++)
        {
            foreach (var g in population) scored.TryAdd(SearchFiles.ToJson(g), (g, fitness(g)));
            // Ties go to the genotype scored first, so a run repeats exactly.
            var parents = scored.Values.Select((s, order) => (s, order)).OrderByDescending(x => x.s.Fitness).ThenBy(x => x.order)
                .Take(settings.Parents).Select(x => x.s.Genotype).ToList();
            bestByGeneration.Add(scored[SearchFiles.ToJson(parents[0])].Fitness);
            generationDone?.Invoke(generation, bestByGeneration[^1]);
            if (generation == settings.Generations - 1) break;
            population = [];
            int mutants = settings.Population / 2;
            Fill(population, mutants, () => Mutate(parents[random.Next(parents.Count)], operations, settings.Mutation, random), scored);
            Fill(population, settings.Population, () => Cross(parents[random.Next(parents.Count)], parents[random.Next(parents.Count)], random), scored);
        }
        var best = scored.Values.Select((s, order) => (s, order)).OrderByDescending(x => x.s.Fitness).ThenBy(x => x.order).First().s;
        return new Result(best.Genotype, best.Fitness, bestByGeneration, scored.Count);
    }

    /// <summary>Adds new, not yet scored genotypes until <paramref name="target"/>; gives up on a draw after many repeats (a small space runs out).</summary>
    private static void Fill(List<Genotype> population, int target, Func<Genotype> draw, Dictionary<string, (Genotype, double)> scored)
    {
        var keys = population.Select(SearchFiles.ToJson).ToHashSet(StringComparer.Ordinal);
        for (int attempts = 0; population.Count < target && attempts < 100 * target; attempts++)
        {
            var g = draw();
            string key = SearchFiles.ToJson(g);
            if (!scored.ContainsKey(key) && keys.Add(key)) population.Add(g);
        }
    }

    private static Genotype Mutate(Genotype parent, List<string> operations, double p, Random random)
    {
        List<GenotypeEdge> Cell(IReadOnlyList<GenotypeEdge> edges)
        {
            var result = new List<GenotypeEdge>();
            for (int node = 0; node < edges.Count / 2; node++)
            {
                var (a, b) = (edges[2 * node], edges[2 * node + 1]);
                if (random.NextDouble() < p)
                {
                    int first = random.Next(node + 2), second = random.Next(node + 1);
                    if (second >= first) second++;
                    (a, b) = (a with { Input = Math.Min(first, second) }, b with { Input = Math.Max(first, second) });
                }
                foreach (var e in new[] { a, b })
                    result.Add(random.NextDouble() < p ? e with { Op = operations[random.Next(operations.Count)] } : e);
            }
            return result;
        }
        return parent with { Normal = Cell(parent.Normal), Reduce = Cell(parent.Reduce) };
    }

    private static Genotype Cross(Genotype x, Genotype y, Random random)
    {
        List<GenotypeEdge> Cell(IReadOnlyList<GenotypeEdge> a, IReadOnlyList<GenotypeEdge> b) =>
            Enumerable.Range(0, a.Count / 2).SelectMany(node => (random.Next(2) == 0 ? a : b).Skip(2 * node).Take(2)).ToList();
        return x with { Normal = Cell(x.Normal, y.Normal), Reduce = Cell(x.Reduce, y.Reduce) };
    }
}
