using VideoNas.Core.Experiments;

namespace VideoNas.Tests;

public class MedianStoppingRuleTests
{
    private static readonly IReadOnlyList<double>[] Peers = [[0.4, 0.5], [0.6, 0.7], [0.1]];

    [Fact]
    public void StopsATrialBelowTheMedianOfThePeersThatReachedItsEpoch()
    {
        // At epoch 2 only the first two peers count: median (0.5 + 0.7) / 2 = 0.6.
        string? reason = MedianStoppingRule.Check(2, 2, [0.5, 0.3], Peers);
        Assert.Equal("stopped early: α-split accuracy 30.0 % at epoch 2 is below the median 60.0 % of 2 peer(s) at that epoch", reason);
    }

    [Fact]
    public void KeepsATrialAtOrAboveTheMedian() => Assert.Null(MedianStoppingRule.Check(2, 2, [0.5, 0.6], Peers));

    [Fact]
    public void JudgesTheEpochAskedForNotTheLatest()
    {
        // Below the median at epoch 1 (0.4), above it at epoch 2 (0.6).
        Assert.NotNull(MedianStoppingRule.Check(1, 1, [0.2, 0.9], Peers));
        Assert.Null(MedianStoppingRule.Check(1, 2, [0.2, 0.9], Peers));
    }

    [Fact]
    public void TakesTheMiddlePeerOfAnOddCount()
    {
        // Epoch 1: 0.4, 0.6, 0.1 → median 0.4.
        Assert.NotNull(MedianStoppingRule.Check(1, 1, [0.39], Peers));
        Assert.Null(MedianStoppingRule.Check(1, 1, [0.4], Peers));
    }

    [Fact]
    public void WaitsForItsEpochAndForPeers()
    {
        Assert.Null(MedianStoppingRule.Check(3, 2, [0.0, 0.0], Peers));
        Assert.Null(MedianStoppingRule.Check(1, 3, [0.0, 0.0, 0.0], Peers));
        Assert.Null(MedianStoppingRule.Check(0, 1, [0.0], Peers));
    }
}
