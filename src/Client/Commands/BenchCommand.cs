using System.Globalization;
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
        """;

    public static async Task<int> Run(CliArgs args)
    {
        string? what = args.Positionals.FirstOrDefault();
        if (what == "allreduce-worker") return await AllReduceBench.Worker(args);
        if (args.Help || what is not ("search" or "allreduce"))
        {
            Console.WriteLine(what == "allreduce" ? AllReduceBench.Help : Help + "\n" + AllReduceBench.Help);
            return args.Help ? 0 : 2;
        }
        return what == "allreduce" ? AllReduceBench.Run(args) : Search(args);
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
}
