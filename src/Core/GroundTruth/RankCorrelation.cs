namespace VideoNas.Core.GroundTruth;

/// <summary>
/// How well a score (a supernet's one-shot accuracy, a zero-cost proxy) ranks architectures against their trained
/// accuracy: Kendall's τ-b and Spearman's ρ (both with ties), and the precision of the score's top share.
/// </summary>
public static class RankCorrelation
{
    /// <summary>Kendall's τ-b: (concordant − discordant) / √((n₀ − ties in x)(n₀ − ties in y)) over all pairs.</summary>
    public static double KendallTau(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0, pairs = 0;
        for (int i = 0; i < x.Count; i++)
            for (int j = i + 1; j < x.Count; j++)
            {
                pairs++;
                int dx = Math.Sign(x[i] - x[j]), dy = Math.Sign(y[i] - y[j]);
                if (dx == 0) tiesX++;
                if (dy == 0) tiesY++;
                if (dx * dy > 0) concordant++;
                else if (dx * dy < 0) discordant++;
            }
        double denominator = Math.Sqrt((double)(pairs - tiesX) * (pairs - tiesY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }

    /// <summary>Spearman's ρ: Pearson's correlation of the ranks, tied values sharing their mean rank.</summary>
    public static double SpearmanRho(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Of the architectures in the score's top <paramref name="share"/>, the fraction that are in the truth's top share too.</summary>
    public static double TopPrecision(IReadOnlyList<double> score, IReadOnlyList<double> truth, double share)
    {
        Check(score, truth);
        if (share is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(share), share, "the top share must be in (0, 1]");
        int k = Math.Max(1, (int)Math.Round(share * score.Count));
        var top = Enumerable.Range(0, truth.Count).OrderByDescending(i => truth[i]).Take(k).ToHashSet();
        return (double)Enumerable.Range(0, score.Count).OrderByDescending(i => score[i]).Take(k).Count(top.Contains) / k;
    }

    /// <summary>Ranks from 1, tied values sharing the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (int k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"the two rankings differ in length ({x.Count} against {y.Count})");
        if (x.Count < 2) throw new ArgumentException("a rank correlation needs at least two architectures");
    }
}
