namespace VideoNas.Core.Selection;

/// <summary>How a (sub- or projected) supernet does on the selection's held-out clips: accuracy, and mean cross-entropy as the tie-break.</summary>
public sealed record SelectionScore(double Accuracy, double Loss)
{
    /// <summary>Whether this score is worse than <paramref name="other"/>: lower accuracy, or equal accuracy and higher loss.</summary>
    public bool WorseThan(SelectionScore other) => Accuracy < other.Accuracy || (Accuracy == other.Accuracy && Loss > other.Loss);
}
