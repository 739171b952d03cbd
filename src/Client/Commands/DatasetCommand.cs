using VideoNas.Core.Data;

namespace VideoNas.Client.Commands;

public static class DatasetCommand
{
    public const string Help = """
        videonas dataset synth --out DIR [--classes N] [--groups G] [--clips C] [--frames F] [--size S] [--seed S]

        Writes a synthetic action-recognition dataset of real AVI files (MPEG-4, via ffmpeg) in the
        UCF101 layout: DIR/<Class>/v_<Class>_gXX_cYY.avi, DIR/ucfTrainTestlist/classInd.txt and three
        train/test splits (CRLF, as in the official archive). Classes differ only in motion (direction,
        speed, growth, rhythm), so a single frame cannot tell them apart.

          --classes N   number of motion classes, 2..8 (default 4)
          --groups G    groups per class, at least 3; split s tests on groups g with (g-1) mod 3 = s-1 (default 6)
          --clips C     clips per group (default 3)
          --frames F    frames per clip (default 24), --size S: width = height in pixels (default 64)
          --seed S      the same seed writes the same videos (default 1)
        """;

    public static int Run(CliArgs args)
    {
        if (args.Help || args.Positionals.Count == 0 || args.Positionals[0] != "synth")
        {
            Console.WriteLine(Help);
            return args.Help ? 0 : 2;
        }
        string outDir = args.Require("out");
        var options = ReadSynthOptions(args);
        args.RejectUnknown();
        Generate(outDir, options);
        return 0;
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
