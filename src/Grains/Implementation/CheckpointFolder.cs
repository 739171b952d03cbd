using System.Text.RegularExpressions;

namespace VideoNas.Grains;

/// <summary>Where a trial's checkpoints live, and the only files a shard writes or opens as checkpoints.</summary>
public static partial class CheckpointFolder
{
    /// <summary>One folder per trial under <c>VideoNas:Recovery:CheckpointDir</c>, else <c>checkpoints/</c> in its output.</summary>
    public static string Of(RecoveryOptions recovery, string trialId, TrialSpec spec) => recovery.CheckpointDir is { } root
        ? Path.Combine(root, TrialId.Validate(trialId))
        : Path.Combine(spec.OutputDir, "checkpoints");

    public static string FileFor(string folder, long step) => Path.Combine(folder, $"step-{step:D8}.ckpt");

    [GeneratedRegex(@"^step-\d{8,}\.ckpt$")]
    private static partial Regex FileName();

    /// <summary>Refuses a checkpoint path that is not a step file in the trial's own folder.</summary>
    public static string Require(string path, string folder)
    {
        string full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) != Path.GetFullPath(folder) || !FileName().IsMatch(Path.GetFileName(full)))
            throw new ArgumentException($"checkpoint {path}: a shard writes and reads only step-NNNNNNNN.ckpt files in its trial's folder {folder}");
        return full;
    }
}
