using System.Text.RegularExpressions;
using VideoNas.Core.Experiments;
using VideoNas.Core.Reporting;
using VideoNas.Core.Search;

namespace VideoNas.Grains;

/// <summary>
/// Deletes the files VideoNas wrote into a run's folders, by their names, and a folder once nothing else is left in
/// it. An output folder is the user's choice and may hold their own files: those stay, and are reported.
/// </summary>
public static partial class RunFiles
{
    private static readonly HashSet<string> TrialNames =
        ["config.json", SearchFiles.AlphasFileName, SearchFiles.GenotypeFileName, SearchFiles.HistoryFileName];

    private static readonly HashSet<string> ExperimentNames =
        [ExperimentSummary.JsonFileName, ExperimentSummary.MarkdownFileName, ExperimentPlots.LossFileName, ExperimentPlots.AccuracyFileName];

    // Step files and the temporaries a write leaves when it dies half-way.
    [GeneratedRegex(@"^step-\d{8,}\.ckpt")]
    private static partial Regex CheckpointName();

    [GeneratedRegex(@"^(alphas|cell)-seed-\d+-(normal|reduce)\.(png|dot)$")]
    private static partial Regex SeedPicture();

    /// <summary>A trial's checkpoints, then its run files: the count deleted and the paths kept.</summary>
    public static (int Deleted, List<string> Kept) OfTrial(string outputDir, string checkpointDir)
    {
        var kept = new List<string>();
        int deleted = Delete(checkpointDir, name => CheckpointName().IsMatch(name), kept);
        return (deleted + Delete(outputDir, TrialNames.Contains, kept), kept);
    }

    /// <summary>An experiment's report (its trials' folders go first, with the trials).</summary>
    public static int OfExperiment(string outputDir, List<string> kept) =>
        Delete(outputDir, name => ExperimentNames.Contains(name) || SeedPicture().IsMatch(name), kept);

    private static int Delete(string folder, Func<string, bool> ours, List<string> kept)
    {
        if (!Directory.Exists(folder)) return 0;
        int deleted = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => ours(Path.GetFileName(f))).ToList())
        {
            File.Delete(file);
            deleted++;
        }
        var left = Directory.EnumerateFileSystemEntries(folder).ToList();
        if (left.Count == 0) Directory.Delete(folder);
        // A folder already reported as kept (a trial's, inside its experiment's) is reported once, by its contents.
        else kept.AddRange(left.Where(path => !kept.Any(k => k.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal))));
        return deleted;
    }
}
