using VideoNas.Core.GroundTruth;

namespace VideoNas.Tests;

/// <summary>Kendall τ-b, Spearman ρ and top-share precision against values worked by hand.</summary>
public class RankCorrelationTests
{
    // x = 1 2 3 4 5, y = 2 1 4 3 5: of the 10 pairs, (1,2) and (3,4) are discordant, the other 8 concordant.
    private static readonly double[] X = [1, 2, 3, 4, 5];
    private static readonly double[] Y = [2, 1, 4, 3, 5];

    [Fact]
    public void KendallCountsConcordantMinusDiscordantPairs() => Assert.Equal((8 - 2) / 10.0, RankCorrelation.KendallTau(X, Y), 12);

    [Fact]
    public void SpearmanIsOneMinusSixSumOfSquaredRankGapsWithoutTies() =>
        // Σd² = 1+1+1+1+0 = 4; ρ = 1 − 6·4 / (5·24) = 0.8.
        Assert.Equal(0.8, RankCorrelation.SpearmanRho(X, Y), 12);

    [Fact]
    public void TiesShareTheirMeanRankAndReduceTauB()
    {
        Assert.Equal([1.5, 1.5, 3, 4], RankCorrelation.Ranks([7, 7, 8, 9]));
        // x = 1 1 2 3, y = 1 2 3 4: 5 concordant, 0 discordant, 1 pair tied in x; τ-b = 5 / √(5·6).
        Assert.Equal(5 / Math.Sqrt(30), RankCorrelation.KendallTau([1, 1, 2, 3], [1, 2, 3, 4]), 12);
        // ranks 1.5 1.5 3 4 against 1 2 3 4: Pearson of the ranks = 4.5 / √(4.5·5).
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), RankCorrelation.SpearmanRho([1, 1, 2, 3], [1, 2, 3, 4]), 12);
    }

    [Fact]
    public void ReversedOrderIsMinusOne()
    {
        Assert.Equal(-1, RankCorrelation.KendallTau(X, X.Reverse().ToArray()), 12);
        Assert.Equal(-1, RankCorrelation.SpearmanRho(X, X.Reverse().ToArray()), 12);
    }

    [Fact]
    public void TopPrecisionIsTheShareOfTheScoresTopThatIsInTheTruthsTop()
    {
        double[] truth = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
        double[] score = [5, 1, 9, 0, 0, 0, 0, 0, 0, 8]; // top 3 by score: items 2, 9, 0; the truth's top 3: 0, 1, 2.
        Assert.Equal(2 / 3.0, RankCorrelation.TopPrecision(score, truth, 0.3), 12);
        Assert.Equal(0, RankCorrelation.TopPrecision(score, truth, 0.1), 12); // item 2 is not item 0
    }

    [Fact]
    public void ConstantScoresHaveNoCorrelationAndMismatchedLengthsAreRefused()
    {
        Assert.True(double.IsNaN(RankCorrelation.KendallTau([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(RankCorrelation.SpearmanRho([1, 1, 1], [1, 2, 3])));
        Assert.Throws<ArgumentException>(() => RankCorrelation.KendallTau([1, 2], [1, 2, 3]));
    }
}
