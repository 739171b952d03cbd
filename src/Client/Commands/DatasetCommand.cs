using VideoNas.Core.Data;

namespace VideoNas.Client.Commands;

public static class DatasetCommand
{
    public const string Help = """
        videonas dataset synth --out DIR [--classes N] [--groups G] [--clips C] [--frames F] [--size S] [--seed S] [--lossless]

        Writes a synthetic action-recognition dataset of real AVI files (MPEG-4, via ffmpeg) in the
        UCF101 layout: DIR/<Class>/v_<Class>_gXX_cYY.avi, DIR/ucfTrainTestlist/classInd.txt and three
        train/test splits (CRLF, as in the official archive). Classes differ only in motion (direction,
        speed, growth, rhythm), so a single frame cannot tell them apart.

          --classes N   number of motion classes, 2..8 (default 4)
          --groups G    groups per class, at least 3; split s tests on groups g with (g-1) mod 3 = s-1 (default 6)
          --clips C     clips per group (default 3)
          --frames F    frames per clip (default 24), --size S: width = height in pixels (default 64)
          --seed S      the same seed writes the same videos (default 1)
          --lossless    FFV1 instead of MPEG-4: no compression artefacts that a single frame could read motion from

        videonas dataset check --root DIR [--split 1|2|3] [--split-seed S] [--json]

        Reads every list line and decodes every clip of a split (ffprobe, every frame counted; for
        rawframes, the file count and the first and last frame), then prints
        clips per class and split, frame-count, fps and resolution statistics, and every problem with its
        file (and line, for list files): missing, empty, unreadable, truncated or corrupt clips, lines that
        leave the root or disagree with classInd.txt, classes without usable training clips.
        Exit code: 0 all usable, 1 some clips or lines are bad, 2 the dataset cannot be used at all.

        videonas dataset extract --root DIR --out DIR [--short-side S] [--split-seed S]

        Converts a video dataset to rawframes, the fast path at scale: every clip's frames as JPEGs under
        --out (optionally with the short side scaled to S), classInd.txt, and the list files of all three
        splits. Clips that fail are skipped and listed. Safe to rerun: finished clips are kept.
        """ + "\n\n" + DatasetLayout.Help;

    public static int Run(CliArgs args)
    {
        if (args.Help || args.Positionals.Count == 0 || args.Positionals[0] is not ("synth" or "check" or "extract"))
        {
            Console.WriteLine(Help);
            return args.Help ? 0 : 2;
        }
        if (args.Positionals[0] == "check") return Check(args);
        if (args.Positionals[0] == "extract") return Extract(args);
        string outDir = args.Require("out");
        var options = ReadSynthOptions(args);
        args.RejectUnknown();
        Generate(outDir, options);
        return 0;
    }

    private static int Check(CliArgs args)
    {
        string root = args.Require("root");
        int split = args.GetInt("split", 1), splitSeed = args.GetInt("split-seed", 0);
        bool json = args.Flag("json");
        args.RejectUnknown();
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

    private static int Extract(CliArgs args)
    {
        string root = args.Require("root"), outDir = args.Require("out");
        int shortSide = args.GetInt("short-side", 0), splitSeed = args.GetInt("split-seed", 0);
        args.RejectUnknown();
        Directory.CreateDirectory(outDir);
        var progress = new ProgressLine("extracting frames");
        var result = RawFramesExtractor.Extract(root, outDir, shortSide, splitSeed, progress.Report);
        progress.Done();
        foreach (var p in result.Skipped) Console.WriteLine($"skipped: {p.Where}: {p.Reason}");
        Console.WriteLine($"{result.Clips} clips, {result.Frames} frames written to {Path.GetFullPath(outDir)}");
        return result.Skipped.Count == 0 ? 0 : 1;
    }

    public static SynthOptions ReadSynthOptions(CliArgs args, SynthOptions? defaults = null)
    {
        var d = defaults ?? new SynthOptions();
        return new SynthOptions
        {
            Classes = args.GetInt("classes", d.Classes),
            Groups = args.GetInt("groups", d.Groups),
            ClipsPerGroup = args.GetInt("clips", d.ClipsPerGroup),
            Frames = args.GetInt("frames", d.Frames),
            Size = args.GetInt("size", d.Size),
            Seed = args.GetInt("seed", (int)d.Seed),
            Lossless = args.Flag("lossless") || d.Lossless,
        };
    }

    public static void Generate(string outDir, SynthOptions options)
    {
        var progress = new ProgressLine("writing clips");
        SyntheticMotionDataset.Generate(outDir, options, progress.Report);
        progress.Done();
        Console.WriteLine($"dataset written to {Path.GetFullPath(outDir)} " +
            $"({options.Classes} classes × {options.Groups} groups × {options.ClipsPerGroup} clips)");
    }
}
