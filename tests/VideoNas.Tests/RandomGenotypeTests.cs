using System.Text.Json.Nodes;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

public class RandomGenotypeTests
{
    [Fact]
    public void EveryNodeKeepsTwoDistinctEarlierInputsWithOperationsOfTheSpace()
    {
        foreach (long seed in Enumerable.Range(0, 200))
        {
            var g = RandomGenotype.Sample(Primitives.Paper, 3, seed);
            // Parsing checks the counts and that node j reads only inputs 0..j+1.
            var parsed = SearchFiles.ParseGenotype(SearchFiles.ToJson(g));
            foreach (var cell in new[] { parsed.Normal, parsed.Reduce })
            {
                Assert.Equal(6, cell.Count);
                for (int node = 0; node < 3; node++)
                    Assert.NotEqual(cell[2 * node].Input, cell[2 * node + 1].Input);
                Assert.All(cell, e => Assert.Contains(e.Op, Primitives.Paper.Skip(1)));
            }
            Assert.Equal([2, 3, 4], parsed.NormalConcat);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameGenotypeAndDrawsAreUniform()
    {
        Assert.Equal(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 4, 7)), SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 4, 7)));
        Assert.NotEqual(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 4, 7)), SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 4, 8)));
        // Node 1 of the normal cell has three inputs: each pair {0,1}, {0,2}, {1,2} a third of the time; each of 7 operations a seventh.
        var draws = Enumerable.Range(0, 6000).Select(s => RandomGenotype.Sample(Primitives.Paper, 3, s).Normal).ToList();
        foreach (var pair in new[] { (0, 1), (0, 2), (1, 2) })
            Assert.InRange(draws.Count(n => n[2].Input == pair.Item1 && n[3].Input == pair.Item2) / 6000.0, 1 / 3.0 - 0.03, 1 / 3.0 + 0.03);
        foreach (var op in Primitives.Paper.Skip(1))
            Assert.InRange(draws.Count(n => n[0].Op == op) / 6000.0, 1 / 7.0 - 0.02, 1 / 7.0 + 0.02);
    }

    [Fact]
    public void TheFactoryBuildsExactlyTheOperationsTheSpacesName() =>
        Assert.Equal(Primitives.All.Order(StringComparer.Ordinal), OperationFactory.Known.Order(StringComparer.Ordinal));

    [Fact]
    public void TheCliWritesTheSameGenotypeForTheSameSeedAndModelInfoCountsItsParameters()
    {
        using var work = new TempFolder("videonas-random-");
        var first = CliProcess.Run("genotype", "random", "--primitives", "paper", "--steps", "3", "--seed", "7", "--out", work["a.json"]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = CliProcess.Run("genotype", "random", "--primitives", "paper", "--steps", "3", "--seed", "7");
        Assert.Equal(File.ReadAllText(work["a.json"]).Trim(), second.Stdout.Trim());
        Assert.Equal(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.Paper, 3, 7)), second.Stdout.Trim());

        var info = CliProcess.Run("model", "info", "--genotype", work["a.json"], "--classes", "101", "--json");
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.True((long)JsonNode.Parse(info.Stdout)!["params"]! > 0, info.Stdout);

        var bad = CliProcess.Run("genotype", "random", "--primitives", "none,conv_9x9x9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--primitives: unknown operation \"conv_9x9x9\"", bad.Stderr);
    }
}
