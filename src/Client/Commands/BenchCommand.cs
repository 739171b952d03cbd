using System.Globalization;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Nas.Search;

namespace VideoNas.Client.Commands;

public static class BenchCommand
{
    public const string Help = """
        videonas bench search [--config FILE] [--steps N] [--warmup N] [--partial-channels K] [--trace-every N]

        Measures the supernet search step (one α step and one w step) on random clips of the configured
        shape, so decoding is excluded: clips per second, seconds per step and resident memory (before,
        peak, after). It runs the configuration twice in the same process, with partial channels off
        (K = 1) and on (K = 4 unless --partial-channels says otherwise), and prints both.

          --config FILE      a search config (JSON); default: the demo's (C = 8, 3 cells, 4×2 frames at 32 px, batch 8)
          --steps N          measured steps per configuration (default 20); --warmup N unmeasured steps first (default 2)
          --trace-every N    print resident memory every N steps (0 = off); with --steps 1000 this is the leak check

        Example (the leak check):  videonas bench search --steps 1000 --trace-every 100

        videonas bench loader [--data DIR] [--split 1] [--clips N] [--resolution R] [--short-side S]
                              [--segments K] [--frames F] [--workers W] [--state DIR]

        Measures the clip loader on up to N clips of the split (default 48) against the decoding ceiling in
        the same run: ffmpeg decoding each whole clip to nothing (ffmpeg -i X -f null -), W at once; the
        loader without the cache (only the sampled frames are converted, scaled and cropped); and with it
        (epoch 1 decodes whole clips into memory, or into a temporary disk cache, epoch 2 only reads and crops). Prints clips/s, the
        process's peak memory, the loader's share of the ceiling (goal: at least 70% for K = 4, F = 2 at
        112 px) and the cache's epoch-2 speed-up (goal: at least 5×).

          --data DIR     any dataset layout; default: a synthetic set of 240×240, 96-frame clips under --state
          --workers W    decode threads and ffmpeg processes at once (default: one per core)
        """;

    public static async Task<int> Run(CliArgs args)
    {
        string? what = args.Positionals.FirstOrDefault();
        if (what == "allreduce-worker") return await AllReduceBench.Worker(args);
        if (args.Help || what is not ("search" or "allreduce" or "loader" or "cluster"))
        {
            Console.WriteLine(what switch
            {
                "allreduce" => AllReduceBench.Help,
                "cluster" => ClusterBench.Help,
                _ => Help + "\n" + AllReduceBench.Help + "\n" + ClusterBench.Help,
            });
            return args.Help ? 0 : 2;
        }
        return what switch
        {
            "allreduce" => AllReduceBench.Run(args),
            "loader" => Loader(args),
            "cluster" => await ClusterBench.Run(args),
            _ => Search(args),
        };
    }

    private static int Search(CliArgs args)
    {
        string? configPath = args.Get("config");
        var config = configPath is null ? DemoCommand.DemoConfig
            : SearchConfig.FromJson(File.Exists(configPath) ? File.ReadAllText(configPath) : throw new UsageException($"{configPath}: no such config file"), configPath);
        int steps = args.GetInt("steps", 20), warmup = args.GetInt("warmup", 2), traceEvery = args.GetInt("trace-every", 0);
        int partial = args.GetInt("partial-channels", 4);
        args.RejectUnknown();

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "search step: C = {0}, {1} cells, {2} primitives, K×F = {3}×{4} at {5}px, batch {6}, {7} order; {8} steps after {9} warm-up",
            config.InitChannels, config.Layers, config.Primitives.Count, config.Segments, config.FramesPerSegment, config.Resolution,
            config.BatchSize, config.SecondOrder ? "second" : "first", steps, warmup));
        Console.WriteLine("| configuration | clips/s | s/step | RSS before (MiB) | peak RSS (MiB) | RSS after (MiB) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, k) in new[] { ("partial channels off", 1), ($"partial channels 1/{partial}", partial) })
        {
            var r = SearchBenchmark.Run(label, config.Validated() with { PartialChannels = k }, classes: 4, steps, warmup, traceEvery,
                (step, rss) => Console.WriteLine(string.Format(c, "  {0}: step {1}: RSS {2:F0} MiB", label, step, rss / 1048576.0)));
            Console.WriteLine(string.Format(c, "| {0} | {1:F2} | {2:F3} | {3:F0} | {4:F0} | {5:F0} |",
                r.Label, r.ClipsPerSecond, r.SecondsPerStep, r.RssBeforeBytes / 1048576.0, r.PeakRssBytes / 1048576.0, r.RssAfterBytes / 1048576.0));
        }
        return 0;
    }

    /// <summary>Clips long and large enough that decoding, not process start-up, dominates, as with real videos.</summary>
    private static readonly SynthOptions LoaderBenchData = new() { Classes = 4, Groups = 3, ClipsPerGroup = 4, Frames = 96, Size = 240, Seed = 1 };

    private static int Loader(CliArgs args)
    {
        string stateDir = Path.GetFullPath(args.Get("state", ".videonas"));
        string? dataDir = args.Get("data");
        int split = args.GetInt("split", 1), clips = args.GetInt("clips", 48);
        int resolution = args.GetInt("resolution", 112), shortSide = args.GetInt("short-side", 128);
        int segments = args.GetInt("segments", 4), frames = args.GetInt("frames", 2), workers = args.GetInt("workers", Environment.ProcessorCount);
        args.RejectUnknown();
        if (dataDir is null)
        {
            dataDir = Path.Combine(stateDir, "data", "loader-bench");
            if (!Ucf101Layout.Recognises(dataDir)) DatasetCommand.Generate(dataDir, LoaderBenchData);
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
        return 0;
    }
}
