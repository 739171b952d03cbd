using VideoNas.Core.Data;

namespace VideoNas.Client.Commands.Dataset;

public static class SynthCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "the dataset's root folder", Required = true, HelpName = "DIR" };
        var d = new SynthOptions();
        var classes = CliOptions.Number("--classes", d.Classes, $"number of motion classes, 2..{MotionPatterns.All.Count} (the first N of {string.Join(", ", MotionPatterns.All)})")
            .InRange(2, MotionPatterns.All.Count);
        var groups = CliOptions.Number("--groups", d.Groups, "groups per class, at least 3; split s tests on groups g with (g-1) mod 3 = s-1", "G").InRange(3, 1000);
        var clips = CliOptions.Number("--clips", d.ClipsPerGroup, "clips per group", "C").InRange(1, 1000);
        var frames = CliOptions.Number("--frames", d.Frames, "frames per clip", "F").InRange(4, 10_000);
        var size = CliOptions.Number("--size", d.Size, "width = height in pixels", "S").InRange(16, 4096);
        var seed = CliOptions.Number("--seed", (int)d.Seed, "the same seed writes the same videos", "S");
        var lossless = new Option<bool>("--lossless") { Description = "FFV1 instead of MPEG-4: no compression artefacts that a single frame could read motion from" };
        var distractors = CliOptions.Number("--distractors", d.Distractors, "dark squares per clip that move like a random class: the class is the bright square's motion, 0..8")
            .InRange(0, 8);
        var noise = CliOptions.Number("--noise", d.Noise, "per-pixel noise, uniform in ±N levels, drawn afresh every frame, 0..64").InRange(0, 64);
        var contrast = CliOptions.Number("--contrast", d.Contrast, "0: a bright square; else a faint one, N to N+40 levels above the background's mean, 1..120")
            .InRange(0, 120);
        var command = new Command("synth", """
            Writes a synthetic motion dataset of real video files in the UCF101 layout.

            Writes a synthetic action-recognition dataset of real AVI files (MPEG-4, via ffmpeg) in the UCF101
            layout: DIR/<Class>/v_<Class>_gXX_cYY.avi, DIR/ucfTrainTestlist/classInd.txt and three train/test
            splits (CRLF, as in the official archive). Classes differ only in motion (direction, speed, growth,
            rhythm), so a single frame cannot tell them apart. --distractors, --noise and --contrast make it harder (the
            discriminative benchmark of docs/results.md: random cells of one space spread widely on it).
            """) { outDir, classes, groups, clips, frames, size, seed, lossless, distractors, noise, contrast };
        command.SetAction(r => Generate(r.GetValue(outDir)!, new SynthOptions
        {
            Classes = r.GetValue(classes), Groups = r.GetValue(groups), ClipsPerGroup = r.GetValue(clips), Frames = r.GetValue(frames),
            Size = r.GetValue(size), Seed = r.GetValue(seed), Lossless = r.GetValue(lossless),
            Distractors = r.GetValue(distractors), Noise = r.GetValue(noise), Contrast = r.GetValue(contrast),
        }));
        return command;
    }

    public static void Generate(string outDir, SynthOptions options)
    {
        ConsoleProgress.Run("writing clips", report => SyntheticMotionDataset.Generate(outDir, options, report));
        Console.WriteLine($"dataset written to {Path.GetFullPath(outDir)} " +
            $"({options.Classes} classes × {options.Groups} groups × {options.ClipsPerGroup} clips)");
    }
}
