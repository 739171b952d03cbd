using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Core.Evaluation;

namespace VideoNas.Core.GroundTruth;

/// <summary>One selected genotype (a search seed's pick) trained from scratch: its video accuracy per training seed.</summary>
public sealed record TrainedPick(string Name, IReadOnlyList<double> VideoAccuracies)
{
    public double Mean => VideoAccuracies.Average();
}

/// <summary>
/// A selection method's picks placed in a ground-truth table, by issue 25's bar: the picks' mean against the mean of
/// the table's random architectures, as a difference with its spread (the two groups' standard errors combined), and
/// the picks' percentile among the table's architectures. The method beats random when the difference is above twice
/// its spread and the picks rank in the table's top 20 % on average.
/// </summary>
/// <param name="costMinutes">one pick's search and selection, in the units of the table's training wall times: it sets
/// the random search of equal compute (as many random architectures, each trained once, as that time trains)</param>
public sealed class PicksAgainstTable(string method, GroundTruthTable table, IReadOnlyList<TrainedPick> picks, double? costMinutes = null)
{
    public const double TopShare = 0.2;

    /// <summary>Mean minutes of one training run in the table: one candidate of a random search.</summary>
    public double TrainingMinutes => table.Entries.SelectMany(e => e.Runs).Average(r => r.WallSeconds) / 60;

    /// <summary>Random architectures a random search trains in one pick's cost; null without a cost.</summary>
    public int? EqualComputeDraws => costMinutes is { } cost ? Math.Max(1, (int)Math.Floor(cost / TrainingMinutes)) : null;

    /// <summary>
    /// The expected accuracy of the best of <paramref name="k"/> architectures drawn without replacement from the
    /// table, each judged by its table mean: with the n means sorted, Σ_i a_(i) · C(i−1, k−1) / C(n, k).
    /// </summary>
    public double BestOfRandom(int k)
    {
        var sorted = table.Entries.Where(e => e.Runs.Count > 0).Select(e => e.Video.Mean).Order().ToList();
        k = Math.Min(k, sorted.Count);
        // C(i−1, k−1) / C(n, k) as a running product, exact in floating point for tables of any size here.
        double expected = 0;
        for (int i = k; i <= sorted.Count; i++) expected += sorted[i - 1] * Chance(i, k, sorted.Count);
        return expected;
    }

    /// <summary>The probability that the largest of k draws from n is the i-th smallest: C(i−1, k−1) / C(n, k).</summary>
    private static double Chance(int i, int k, int n)
    {
        double p = (double)k / n;
        for (int j = 1; j < k; j++) p *= (double)(i - j) / (n - j);
        return p;
    }

    public Spread Picks { get; } = Spread.Of(picks.Select(p => p.Mean).ToList());
    public Spread Random { get; } = Spread.Of(table.Entries.Where(e => e.Runs.Count > 0).Select(e => e.Video.Mean).ToList());
    public double Difference => Picks.Mean - Random.Mean;
    public double DifferenceSpread => Math.Sqrt(Picks.Std * Picks.Std / Picks.Count + Random.Std * Random.Std / Random.Count);
    public double MeanPercentile => picks.Average(p => table.Percentile(p.Mean));
    public bool BeatsRandom => Difference > 2 * DifferenceSpread && MeanPercentile >= 1 - TopShare;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"Picks of \"{method}\" placed in the ground-truth table \"{table.Dataset}\" ({Random.Count} random architectures)");
        md.AppendLine();
        md.AppendLine("| pick | video accuracy per training seed | mean | percentile in the table |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var p in picks)
            md.AppendLine(c, $"| {p.Name} | {string.Join(", ", p.VideoAccuracies.Select(a => (a * 100).ToString("F1", c)))} % | {p.Mean:P1} | {table.Percentile(p.Mean):P0} |");
        md.AppendLine();
        md.AppendLine(c, $"- picks ({Picks.Count}): {Picks.Percent}; the table's architectures ({Random.Count}): {Random.Percent} (± across genotypes)");
        string verdict = Difference > 2 * DifferenceSpread ? "more than twice its spread" : "within twice its spread: not distinguishable";
        md.AppendLine(c, $"- picks − random mean: **{Difference * 100:+0.0;-0.0} ± {DifferenceSpread * 100:F1} points** ({verdict})");
        md.AppendLine(c, $"- mean percentile of the picks: {MeanPercentile:P0} (the bar: the top {TopShare:P0}, at least {1 - TopShare:P0})");
        if (EqualComputeDraws is { } k)
            md.AppendLine(c, $"- random search at equal compute ({costMinutes:F0} min per pick = {k} trainings of {TrainingMinutes:F1} min): " +
                $"the best of {k} random architectures is expected at {BestOfRandom(k):P1}; the picks {(Picks.Mean > BestOfRandom(k) ? "beat" : "do not beat")} it");
        md.AppendLine(c, $"- beats random by the bar: {(BeatsRandom ? "yes" : "no")}");
        return md.ToString();
    }

    public string ToJson() => new JsonObject
    {
        ["method"] = method,
        ["table"] = table.Dataset,
        ["picks"] = new JsonArray(picks.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name, ["video_accuracies"] = new JsonArray(p.VideoAccuracies.Select(a => (JsonNode)a).ToArray()),
            ["mean"] = p.Mean, ["percentile"] = table.Percentile(p.Mean),
        }).ToArray()),
        ["picks_mean"] = Picks.Mean, ["picks_std"] = Picks.Std,
        ["random_mean"] = Random.Mean, ["random_std"] = Random.Std, ["random_architectures"] = Random.Count,
        ["difference"] = Difference, ["difference_spread"] = DifferenceSpread,
        ["mean_percentile"] = MeanPercentile, ["beats_random"] = BeatsRandom,
        ["equal_compute_draws"] = EqualComputeDraws, ["best_of_random_at_equal_compute"] = EqualComputeDraws is { } k ? BestOfRandom(k) : null,
    }.ToJsonString(JsonFormats.Output) + "\n";
}
