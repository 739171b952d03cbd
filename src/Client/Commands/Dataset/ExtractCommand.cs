using VideoNas.Core.Data;

namespace VideoNas.Client.Commands.Dataset;

public static class ExtractCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "the video dataset", Required = true, HelpName = "DIR" };
        var outDir = new Option<string>("--out") { Description = "where the rawframes dataset goes", Required = true, HelpName = "DIR" };
        var shortSide = CliOptions.Number("--short-side", 0, "scale each frame's short side to S first (0: keep the size)", "S").InRange(0, 4096);
        var splitSeed = CliOptions.SplitSeed();
        var command = new Command("extract", """
            Converts a video dataset to rawframes (JPEG folders and list files).

            Converts a video dataset to rawframes, the fast path at scale: every clip's frames as JPEGs under
            --out (optionally with the short side scaled to S), classInd.txt, and the list files of all three
            splits. Clips that fail are skipped and listed. Safe to rerun: finished clips are kept.
            """) { root, outDir, shortSide, splitSeed };
        command.SetAction(r => Run(r.GetValue(root)!, r.GetValue(outDir)!, r.GetValue(shortSide), r.GetValue(splitSeed)));
        return command;
    }

    private static int Run(string root, string outDir, int shortSide, int splitSeed)
    {
        Directory.CreateDirectory(outDir);
        var result = ConsoleProgress.Run("extracting frames", report => RawFramesExtractor.Extract(root, outDir, shortSide, splitSeed, report));
        foreach (var p in result.Skipped) Console.WriteLine($"skipped: {p.Where}: {p.Reason}");
        Console.WriteLine($"{result.Clips} clips, {result.Frames} frames written to {Path.GetFullPath(outDir)}");
        return result.Skipped.Count == 0 ? 0 : 1;
    }
}
