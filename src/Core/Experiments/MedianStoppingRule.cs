using System.Globalization;

namespace VideoNas.Core.Experiments;

/// <summary>
/// The median stopping rule (Golovin et al., Google Vizier, 2017), on α-split accuracy at equal epochs: from
/// epoch <c>afterEpoch</c> on, a trial below the median of its peers at an epoch is stopped; each epoch is judged once, when
/// the trial has finished it.
/// Only peers that reached that epoch count; with none, nothing is stopped.
/// </summary>
public static class MedianStoppingRule
{
    /// <param name="epoch">The epoch to judge (1-based), at most <paramref name="own"/>'s length.</param>
    /// <param name="own">The trial's α-split accuracy per finished epoch (index 0: epoch 1).</param>
    /// <param name="peers">The same for each other trial of the experiment.</param>
    /// <returns>Why the trial should stop, or null.</returns>
    public static string? Check(int afterEpoch, int epoch, IReadOnlyList<double> own, IEnumerable<IReadOnlyList<double>> peers)
    {
        if (afterEpoch <= 0 || epoch < afterEpoch || epoch > own.Count) return null;
        var atEpoch = peers.Where(p => p.Count >= epoch).Select(p => p[epoch - 1]).ToList();
        if (atEpoch.Count == 0) return null;
        double median = Median.Of(atEpoch);
        return own[epoch - 1] < median
            ? string.Format(CultureInfo.InvariantCulture, "stopped early: α-split accuracy {0:P1} at epoch {1} is below the median {2:P1} of {3} peer(s) at that epoch",
                own[epoch - 1], epoch, median, atEpoch.Count)
            : null;
    }
}
