using VideoNas.Core.Experiments;

namespace VideoNas.Tests;

public class SeedListTests
{
    [Theory]
    [InlineData("3", new long[] { 0, 1, 2 })]
    [InlineData("3,7,11", new long[] { 3, 7, 11 })]
    [InlineData("5..8", new long[] { 5, 6, 7, 8 })]
    [InlineData("1, 4..5", new long[] { 1, 4, 5 })]
    [InlineData("7..7", new long[] { 7 })]
    public void ParsesCountsListsAndRanges(string text, long[] seeds) => Assert.Equal(seeds, SeedList.Parse(text));

    [Theory]
    [InlineData("0", "a count of seeds must be 1 to 1000")]
    [InlineData("three", "\"three\" is not a non-negative integer")]
    [InlineData("3,3", "seed 3 is given twice")]
    [InlineData("8..5", "the range 8..5 must go up")]
    [InlineData("-1,2", "\"-1\" is not a non-negative integer")]
    public void RefusesWhatIsNotASeedListNamingTheProblem(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => SeedList.Parse(text));
        Assert.Contains($"--seeds \"{text}\"", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
