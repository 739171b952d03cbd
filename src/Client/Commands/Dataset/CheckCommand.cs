using VideoNas.Core.Data;

namespace VideoNas.Client.Commands.Dataset;

public static class CheckCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "the dataset's root folder", Required = true, HelpName = "DIR" };
        var split = CliOptions.Split();
        var splitSeed = CliOptions.SplitSeed();
        var json = CliOptions.Json("the report as JSON");
        var command = new Command("check", """
            Checks every list line and clip of a dataset; exit 0 usable, 1 some bad, 2 unusable.

            Reads every list line and decodes every clip of a split (ffprobe, every frame counted; for rawframes,
            the file count and the first and last frame), then prints clips per class and split, frame-count,
            fps and resolution statistics, and every problem with its file (and line, for list files): missing,
            empty, unreadable, truncated or corrupt clips, lines that leave the root or disagree with
            classInd.txt, classes without usable training clips.
            Exit code: 0 all usable, 1 some clips or lines are bad, 2 the dataset cannot be used at all.
            """) { root, split, splitSeed, json };
        command.SetAction(r => Run(r.GetValue(root)!, r.GetValue(split), r.GetValue(splitSeed), r.GetValue(json)));
        return command;
    }

    private static int Run(string root, int split, int splitSeed, bool json)
    {
        var report = DatasetCheck.Run(root, split, splitSeed);
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, Core.JsonFormats.Output));
            return report.ExitCode;
        }
        if (report.Fatal is not null)
        {
            Console.Error.WriteLine($"unusable: {report.Fatal}");
            return report.ExitCode;
        }
        Console.WriteLine($"{root}, split {split}: {report.UsableClips} usable clips in {report.Classes.Count} classes");
        foreach (var c in report.Classes) Console.WriteLine($"  {c.Class,-24} train {c.Train,5}  test {c.Test,5}");
        Console.WriteLine($"frames per clip: min {report.MinFrames}, median {report.MedianFrames}, max {report.MaxFrames}; " +
            $"fps: {string.Join(", ", report.FrameRates)}; resolutions: {string.Join(", ", report.Resolutions)}");
        foreach (var p in report.Problems) Console.WriteLine($"problem: {p.Where}: {p.Reason}");
        Console.WriteLine(report.Problems.Count == 0 ? "all clips usable" : $"{report.Problems.Count} problems");
        return report.ExitCode;
    }
}
