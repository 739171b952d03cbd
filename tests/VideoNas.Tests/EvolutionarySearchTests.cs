using VideoNas.Core.Selection;

namespace VideoNas.Tests;

/// <summary>SPOS' evolutionary search on a hand-built fitness: how many kept edges agree with a target genotype.</summary>
public class EvolutionarySearchTests
{
    private static readonly string[] Space = [Primitives.None, "conv_1x3x3", "conv_3x1x1", "avg_pool_1x3x3"];
    private static readonly EvolutionarySearch.Settings Settings = new(Population: 12, Generations: 10, Parents: 4, Mutation: 0.2);
    private static readonly Genotype Target = RandomGenotype.Sample(Space, 3, seed: 99);

    private static double Agreement(Genotype g) =>
        g.Normal.Zip(Target.Normal).Count(p => p.First == p.Second) + g.Reduce.Zip(Target.Reduce).Count(p => p.First == p.Second);

    [Fact]
    public void TheFittestGenotypeImprovesOverGenerationsAndEachIsScoredOnce()
    {
        var seen = new List<string>();
        var result = EvolutionarySearch.Run(Space, 3, Settings, g =>
        {
            seen.Add(SearchFiles.ToJson(g));
            AssertValid(g);
            return Agreement(g);
        }, seed: 1);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Count, result.Evaluations);
        Assert.InRange(result.Evaluations, Settings.Population + 1, Settings.Population * Settings.Generations);
        Assert.Equal(Settings.Generations, result.BestByGeneration.Count);
        Assert.All(result.BestByGeneration.Zip(result.BestByGeneration.Skip(1)), p => Assert.True(p.Second >= p.First));
        Assert.Equal(Agreement(result.Best), result.Fitness);
        Assert.Equal(result.BestByGeneration[^1], result.Fitness);
        // Breeding from the fittest finds far more agreement than the first, random generation had (12 edges in all).
        Assert.True(result.Fitness >= result.BestByGeneration[0] + 3, $"{string.Join(", ", result.BestByGeneration)}");
    }

    [Fact]
    public void TheSameSeedRepeatsTheSearchAndAnotherDoesNot()
    {
        string Run(long seed) => SearchFiles.ToJson(EvolutionarySearch.Run(Space, 3, Settings, Agreement, seed).Best);
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Theory]
    [InlineData(1, 5, 1, 0.1, "population must be at least 2")]
    [InlineData(8, 0, 2, 0.1, "generations must be at least 1")]
    [InlineData(8, 5, 9, 0.1, "parents must be between 1 and the population (8)")]
    [InlineData(8, 5, 2, 0.0, "mutation must be a probability above 0")]
    public void BadSettingsAreRefusedByName(int population, int generations, int parents, double mutation, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => EvolutionarySearch.Run(Space, 3, new(population, generations, parents, mutation), Agreement, 0));
        Assert.StartsWith(message, e.Message);
    }

    private static void AssertValid(Genotype g)
    {
        foreach (var cell in new[] { g.Normal, g.Reduce })
        {
            Assert.Equal(6, cell.Count);
            for (int node = 0; node < 3; node++)
            {
                var (a, b) = (cell[2 * node], cell[2 * node + 1]);
                Assert.True(a.Input < b.Input && b.Input < node + 2, $"node {node}: inputs {a.Input}, {b.Input}");
                Assert.DoesNotContain(Primitives.None, new[] { a.Op, b.Op });
            }
        }
    }
}
