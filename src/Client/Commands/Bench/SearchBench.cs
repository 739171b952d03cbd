using System.Globalization;
using System.Text.Json;
using VideoNas.Core.Search;
using VideoNas.Nas.Search;

namespace VideoNas.Client.Commands.Bench;

public static class SearchBench
{
    public static Command Create()
    {
        var config = CliOptions.Config("a search config (JSON); default: the demo's (C = 8, 3 cells, 4×2 frames at 32 px, batch 8)");
        var steps = CliOptions.Number("--steps", 20, "measured steps per configuration");
        var warmup = CliOptions.Number("--warmup", 2, "unmeasured steps first");
        var partial = CliOptions.Number("--partial-channels", 4, "K of the second configuration (1/K of the channels through the ops); the config's own K runs one row", "K");
        var traceEvery = CliOptions.Number("--trace-every", 0, "print resident memory every N steps (0 = off); with --steps 1000 this is the leak check");
        var json = CliOptions.Json("print one JSON line per configuration instead of the table (benchmarks/pytorch/compare.py reads it)");
        var command = new Command("search", """
            Supernet search-step throughput and memory, partial channels off and on.

            Measures the supernet search step (one α step and one w step; second order if the config says so) on
            random clips of the configured shape, so decoding is excluded: clips per second, the median seconds per
            step and resident memory (before, the process's peak, after). It runs the configuration as given, then
            in the same process with 1/K of the channels through the ops (K = 4 unless --partial-channels says
            otherwise; skipped when the config already has that K), so the second row's peak includes the first's.

            Example (the leak check): videonas bench search --steps 1000 --trace-every 100
            """) { config, steps, warmup, partial, traceEvery, json };
        command.SetAction(r => Run(DemoCommand.ConfigOrDemo(r.GetValue(config)), r.GetValue(steps), r.GetValue(warmup), r.GetValue(partial), r.GetValue(traceEvery),
            r.GetValue(json)));
        return command;
    }

    /// <summary><c>bench export-step</c>: the file the PyTorch cross-check reads.</summary>
    public static Command CreateExport()
    {
        var config = CliOptions.Config("a search config (JSON); keep it small, the file is JSON");
        var output = new Option<string>("--out") { Description = "the file to write", Required = true, HelpName = "FILE" };
        var classes = CliOptions.Number("--classes", 4, "classes of the random labels");
        var command = new Command("export-step", """
            Writes one supernet forward and backward for the PyTorch cross-check.

            Builds the supernet of --config with its seeded initial weights, runs one forward and backward on random
            clips in training mode, and writes a JSON file: the config, every parameter with its gradient, the clips,
            the labels and the loss. benchmarks/pytorch/crosscheck.py FILE loads it into the PyTorch reference and
            compares the loss and every gradient.
            """) { config, output, classes };
        command.SetAction(r =>
        {
            StepExport.Write(DemoCommand.ConfigOrDemo(r.GetValue(config)), r.GetValue(classes), r.GetValue(output)!);
            Console.WriteLine(r.GetValue(output));
        });
        return command;
    }

    private static void Run(SearchConfig config, int steps, int warmup, int partial, int traceEvery, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new List<int> { config.PartialChannels };
        if (partial != config.PartialChannels) rows.Add(partial);
        if (!json)
        {
            Console.WriteLine(string.Format(c, "search step: C = {0}, {1} cells, {2} primitives, K×F = {3}×{4} at {5}px, batch {6}, {7} order; {8} steps after {9} warm-up",
                config.InitChannels, config.Layers, config.Primitives.Count, config.Segments, config.FramesPerSegment, config.Resolution,
                config.BatchSize, config.SecondOrder ? "second" : "first", steps, warmup));
            Console.WriteLine("| configuration | weight parameters | clips/s | s/step (median) | RSS before (MiB) | peak RSS (MiB) | RSS after (MiB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        }
        foreach (int k in rows)
        {
            string label = k == 1 ? "partial channels off" : $"partial channels 1/{k}";
            var r = SearchBenchmark.Run(label, config.Validated() with { PartialChannels = k }, classes: 4, steps, warmup, traceEvery,
                (step, rss) => Console.WriteLine(string.Format(c, "  {0}: step {1}: RSS {2:F0} MiB", label, step, rss / 1048576.0)));
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    framework = "videonas", partial_channels = k, second_order = config.SecondOrder, parameters = r.Parameters, batch_size = config.BatchSize,
                    seconds_per_step_median = r.SecondsPerStep, clips_per_second = r.ClipsPerSecond, peak_rss_mib = r.PeakRssBytes / 1048576.0,
                }));
            else
                Console.WriteLine(string.Format(c, "| {0} | {1:N0} | {2:F2} | {3:F3} | {4:F0} | {5:F0} | {6:F0} |",
                    r.Label, r.Parameters, r.ClipsPerSecond, r.SecondsPerStep, r.RssBeforeBytes / 1048576.0, r.PeakRssBytes / 1048576.0, r.RssAfterBytes / 1048576.0));
        }
    }
}
