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
        TrainResult? result;
        try
        {
            result = JsonSerializer.Deserialize<TrainResult>(File.ReadAllText(path), JsonFormats.Output);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{path}: not a train result ({e.Message})", e);
        }
        if (result is null) throw new ConfigException($"{path}: empty (a train result is a JSON object)");
        // A result.json written by hand or cut short deserialises with zeros; a table row of zeros would pass for a result.
        string? problem = result switch
        {
            { Model: null or "" } => "\"model\" is missing or empty",
            { Params: <= 0 } => $"\"params\" is {result.Params}; a trained model has at least one parameter",
            _ when !IsFraction(result.ClipAccuracy) => $"\"clip_accuracy\" is {result.ClipAccuracy}; it is a fraction from 0 to 1",
            _ when !IsFraction(result.VideoAccuracy) => $"\"video_accuracy\" is {result.VideoAccuracy}; it is a fraction from 0 to 1",
            { TestVideos: <= 0 } => $"\"test_videos\" is {result.TestVideos}; a result was measured on at least one test video",
            _ => null,
        };
        return problem is null ? result : throw new ConfigException($"{path}: not a complete train result: {problem}");
    }

    private static bool IsFraction(double value) => value is >= 0 and <= 1;

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
}
