using System.Globalization;
using System.Text;
using System.Text.Json;
using VideoNas.Core.Search;
using VideoNas.Core.Training;

namespace VideoNas.Core.Reporting;

/// <summary>
/// The comparison of trained models: a Markdown table and the data of an accuracy-against-parameters
/// plot, one point per model. Reads the <c>result.json</c> that <c>videonas train</c> writes.
/// </summary>
public static class ComparisonReport
{
    public const string ResultFileName = "result.json";

    public static TrainResult ReadResult(string runDir)
    {
        string path = Directory.Exists(runDir) ? Path.Combine(runDir, ResultFileName) : runDir;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file (is {runDir} a `videonas train` output folder?)", path);
        try
        {
            return JsonSerializer.Deserialize<TrainResult>(File.ReadAllText(path), JsonFormats.Output)
                ?? throw new FormatException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a train result ({e.Message})", e);
        }
    }

    /// <summary>Rows sorted by parameters; the last column relates each model to the smallest manual baseline.</summary>
    public static string Markdown(IReadOnlyList<TrainResult> results, IReadOnlySet<string> baselines)
    {
        var c = CultureInfo.InvariantCulture;
        long? smallestBaseline = results.Where(r => baselines.Contains(r.Model)).Select(r => (long?)r.Params).Min();
        var sb = new StringBuilder();
        sb.AppendLine("| model | parameters | GFLOPs / clip | clip accuracy | video accuracy | parameters vs smallest baseline |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results.OrderBy(r => r.Params))
        {
            string relative = smallestBaseline is { } s ? string.Format(c, "{0:P2}", (double)r.Params / s) : "–";
            sb.AppendLine(string.Format(c, "| {0} | {1:N0} | {2:F3} | {3:P1} | {4:P1} | {5} |",
                r.Model, r.Params, r.FlopsPerClip / 1e9, r.ClipAccuracy, r.VideoAccuracy, relative));
        }
        return sb.ToString();
    }

    /// <summary>gnuplot data: parameters, video accuracy in percent, quoted label.</summary>
    public static string PlotData(IReadOnlyList<TrainResult> results) => string.Concat(results.Select(r =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1:F2} \"{2}\"\n", r.Params, r.VideoAccuracy * 100, r.Model.Replace("\"", "'"))));
}
