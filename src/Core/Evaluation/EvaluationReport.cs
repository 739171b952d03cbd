using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Core.Reporting;
using VideoNas.Core.Training;

namespace VideoNas.Core.Evaluation;

/// <summary>One trained model under one training seed. Groups: searched, random, baseline, baseline at matched width.</summary>
public sealed record EvaluatedRun(string Group, string Model, long TrainSeed, TrainResult Result);

/// <summary>A mean and its sample standard deviation (0 for one value).</summary>
public readonly record struct Spread(double Mean, double Std, int Count)
{
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        double mean = values.Average();
        double std = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new Spread(mean, std, values.Count);
    }

    public string Percent => string.Format(CultureInfo.InvariantCulture, "{0:F1} ± {1:F1} %", Mean * 100, Std * 100);
}

/// <summary>A model's accuracies over its training seeds.</summary>
public sealed record ModelRow(string Group, string Model, long Params, long FlopsPerClip, Spread Clip, Spread Video);

/// <summary>
/// The evaluation protocol's report (Yang et al. 2020): every model with parameters, FLOPs per clip and clip and
/// video accuracy as mean ± std over the training seeds; the searched genotypes' mean video accuracy against the
/// random genotypes', as a difference with its spread; accuracy against parameters on a log axis with error bars.
/// </summary>
public sealed class EvaluationReport
{
    public const string Searched = "searched";
    public const string Random = "random";
    public const string Baseline = "baseline";
    public const string MatchedBaseline = "baseline, matched width";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IReadOnlyList<ModelRow> Rows { get; }

    public EvaluationReport(IReadOnlyList<EvaluatedRun> runs) => Rows = runs
        .GroupBy(r => (r.Group, r.Model))
        .Select(g => new ModelRow(g.Key.Group, g.Key.Model, g.First().Result.Params, g.First().Result.FlopsPerClip,
            Spread.Of(g.Select(r => r.Result.ClipAccuracy).ToList()), Spread.Of(g.Select(r => r.Result.VideoAccuracy).ToList())))
        .ToList();

    /// <summary>The video accuracy of a group: the mean over its models of their mean over training seeds, and the spread across models.</summary>
    public Spread? Group(string group) =>
        Rows.Where(r => r.Group == group).Select(r => r.Video.Mean).ToList() is { Count: > 0 } means ? Spread.Of(means) : null;

    /// <summary>Searched minus random video accuracy, with the spread of that difference (the groups' standard errors combined).</summary>
    public (double Difference, double Spread)? SearchedOverRandom => OverRandom(Searched);

    /// <summary>The groups of searched genotypes: DARTS' argmax (<see cref="Searched"/>), then one per other selection method ("searched, METHOD").</summary>
    public IReadOnlyList<string> SearchedGroups => Rows.Select(r => r.Group).Where(IsSearched).Distinct().ToList();

    public static bool IsSearched(string group) => group == Searched || group.StartsWith(Searched + ", ", StringComparison.Ordinal);

    public static string SearchedBy(string method) => method == Selection.SelectionMethods.Argmax ? Searched : $"{Searched}, {method}";

    public (double Difference, double Spread)? OverRandom(string group) =>
        Group(group) is { } s && Group(Random) is { } r
            ? (s.Mean - r.Mean, Math.Sqrt(s.Std * s.Std / s.Count + r.Std * r.Std / r.Count))
            : null;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("| group | model | parameters | GFLOPs / clip | clip accuracy | video accuracy | training seeds |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in Rows)
            md.AppendLine(C, $"| {r.Group} | {r.Model} | {r.Params:N0} | {r.FlopsPerClip / 1e9:F3} | {r.Clip.Percent} | {r.Video.Percent} | {r.Video.Count} |");
        md.AppendLine();
        foreach (var group in SearchedGroups.Append(Random))
            if (Group(group) is { } g) md.AppendLine(C, $"- {group} genotypes ({g.Count}): video accuracy {g.Percent} (mean over genotypes of their mean over training seeds; ± across genotypes)");
        foreach (var group in SearchedGroups)
            if (OverRandom(group) is { } d)
            {
                string verdict = Math.Abs(d.Difference) > 2 * d.Spread ? "more than twice its spread" : "within twice its spread: not distinguishable at this sample size";
                md.AppendLine(C, $"- {group} − random: **{d.Difference * 100:+0.0;-0.0} ± {d.Spread * 100:F1} points** ({verdict})");
            }
        return md.ToString();
    }

    public string ToJson() => new JsonObject
    {
        ["models"] = new JsonArray(Rows.Select(r => (JsonNode?)new JsonObject
        {
            ["group"] = r.Group, ["model"] = r.Model, ["params"] = r.Params, ["flops_per_clip"] = r.FlopsPerClip,
            ["clip_accuracy_mean"] = r.Clip.Mean, ["clip_accuracy_std"] = r.Clip.Std,
            ["video_accuracy_mean"] = r.Video.Mean, ["video_accuracy_std"] = r.Video.Std, ["training_seeds"] = r.Video.Count,
        }).ToArray()),
        ["searched_video_accuracy"] = Group(Searched) is { } s ? new JsonObject { ["mean"] = s.Mean, ["std"] = s.Std, ["genotypes"] = s.Count } : null,
        ["random_video_accuracy"] = Group(Random) is { } r ? new JsonObject { ["mean"] = r.Mean, ["std"] = r.Std, ["genotypes"] = r.Count } : null,
        ["searched_minus_random"] = SearchedOverRandom is { } d ? new JsonObject { ["difference"] = d.Difference, ["spread"] = d.Spread } : null,
        ["searched_groups"] = new JsonArray(SearchedGroups.Select(g => (JsonNode?)new JsonObject
        {
            ["group"] = g, ["mean"] = Group(g)!.Value.Mean, ["std"] = Group(g)!.Value.Std, ["genotypes"] = Group(g)!.Value.Count,
            ["minus_random"] = OverRandom(g)?.Difference, ["minus_random_spread"] = OverRandom(g)?.Spread,
        }).ToArray()),
    }.ToJsonString(JsonFormats.Indented);

    /// <summary>Video accuracy against parameters (log axis), one colour per group, error bars of ± one std over training seeds.</summary>
    public void Plot(string pngFile) => AccuracyScatter.Png(
        [.. Rows.Select(r => new AccuracyPoint(r.Group, r.Model, r.Params, r.Video.Mean, r.Video.Std))],
        "video accuracy against parameters (mean ± std over training seeds)", pngFile);
}
