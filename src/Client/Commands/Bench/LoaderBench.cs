using System.Globalization;
using VideoNas.Client.Commands.Dataset;
using VideoNas.Core.Data;

namespace VideoNas.Client.Commands.Bench;

public static class LoaderBench
{
    /// <summary>Clips long and large enough that decoding, not process start-up, dominates, as with real videos.</summary>
    private static readonly SynthOptions LoaderBenchData = new() { Classes = 4, Groups = 3, ClipsPerGroup = 4, Frames = 96, Size = 240, Seed = 1 };

    public static Command Create()
    {
        var data = CliOptions.Data("any dataset layout; default: a synthetic set of 240×240, 96-frame clips under --state");
        var split = CliOptions.Split();
        var clips = CliOptions.Number("--clips", 48, "clips measured");
        var resolution = CliOptions.Number("--resolution", 112, "crop size", "R");
        var shortSide = CliOptions.Number("--short-side", 128, "decode the short side to S", "S");
        var segments = CliOptions.Number("--segments", 4, "TSN segments", "K");
        var frames = CliOptions.Number("--frames", 2, "frames per segment", "F");
        var workers = CliOptions.Number("--workers", Environment.ProcessorCount, "decode threads and ffmpeg processes at once (default: one per core)", "W");
        var state = CliOptions.State();
        var command = new Command("loader", """
            Clip loader throughput against ffmpeg decoding to nothing, cache epochs 1 and 2.

            Measures the clip loader on up to N clips of the split against the decoding ceiling in the same run:
            ffmpeg decoding each whole clip to nothing (ffmpeg -i X -f null -), W at once; the loader without
            the cache (only the sampled frames are converted, scaled and cropped); and with it (epoch 1 decodes
            whole clips into memory, or into a temporary disk cache, epoch 2 only reads and crops). Prints
            clips/s, the process's peak memory, the loader's share of the ceiling (goal: at least 70% for K = 4,
            F = 2 at 112 px) and the cache's epoch-2 speed-up (goal: at least 5×).
            """) { data, split, clips, resolution, shortSide, segments, frames, workers, state };
        command.SetAction(r => Run(r.GetValue(data), Path.GetFullPath(r.GetValue(state)!), r.GetValue(split), r.GetValue(clips), r.GetValue(resolution),
            r.GetValue(shortSide), r.GetValue(segments), r.GetValue(frames), r.GetValue(workers)));
        return command;
    }

    private static void Run(string? dataDir, string stateDir, int split, int clips, int resolution, int shortSide, int segments, int frames, int workers)
    {
        if (dataDir is null)
        {
            dataDir = Path.Combine(stateDir, "data", "loader-bench");
            if (!Ucf101Layout.Recognises(dataDir)) SynthCommand.Generate(dataDir, LoaderBenchData);
        }
        var dataset = DatasetLayout.Open(dataDir, split);
        var picked = dataset.Train.Concat(dataset.Test).Take(clips).ToList();
        var sampling = new ClipSampling(segments, frames, 1, resolution, shortSide);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "loader: {0} clips of {1} ({2}), K×F = {3}×{4}, short side {5}, {6} px crops, {7} workers",
            picked.Count, dataDir, dataset.Layout, segments, frames, shortSide, resolution, workers));
        string diskCache = Directory.CreateTempSubdirectory("videonas-bench-cache-").FullName;
        IReadOnlyList<LoaderPhase> phases;
        try
        {
            phases = LoaderBenchmark.Run(dataset, picked, sampling, workers, diskCache);
        }
        finally
        {
            Directory.Delete(diskCache, recursive: true);
        }
        Console.WriteLine("| phase | clips/s | seconds | peak RSS (MiB) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var p in phases)
            Console.WriteLine(string.Format(c, "| {0} | {1:F1} | {2:F2} | {3:F0} |", p.Name, p.ClipsPerSecond, p.Seconds, p.PeakRssBytes / 1048576.0));
        Console.WriteLine(string.Format(c, "loader without cache: {0:P0} of the ceiling (goal 70%); cache epoch 2 is {1:F1}× epoch 1 in memory, {2:F1}× on disk (goal 5×)",
            phases[2].ClipsPerSecond / phases[0].ClipsPerSecond, phases[4].ClipsPerSecond / phases[3].ClipsPerSecond, phases[6].ClipsPerSecond / phases[5].ClipsPerSecond));
    }
}
