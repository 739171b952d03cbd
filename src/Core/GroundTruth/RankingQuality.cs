using System.Globalization;

namespace VideoNas.Core.GroundTruth;

/// <summary>How well a score ranks a table's architectures: Spearman ρ, Kendall τ-b and the top-10 % precision against their accuracy.</summary>
public sealed record RankingQuality(string Method, int Architectures, double Rho, double Tau, double TopTenth)
{
    public const string MarkdownHeader = "| method | architectures | Spearman ρ | Kendall τ-b | top-10 % precision |\n|---|---:|---:|---:|---:|\n";

    /// <summary>NaN where fewer than 3 architectures leave nothing to rank.</summary>
    public static RankingQuality Of(string method, IReadOnlyList<double> score, IReadOnlyList<double> truth) => score.Count < 3
        ? new(method, score.Count, double.NaN, double.NaN, double.NaN)
        : new(method, score.Count, RankCorrelation.SpearmanRho(score, truth), RankCorrelation.KendallTau(score, truth), RankCorrelation.TopPrecision(score, truth, 0.1));

    public string MarkdownRow() => double.IsNaN(Rho)
        ? $"| {Method} | {Architectures} | – | – | – |"
        : string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:F2} | {3:F2} | {4:P0} |", Method, Architectures, Rho, Tau, TopTenth);
}
