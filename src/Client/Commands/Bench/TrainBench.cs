using System.Globalization;
using System.Text.Json;
using VideoNas.Core.Training;
using VideoNas.Nas.Training;

namespace VideoNas.Client.Commands.Bench;

/// <summary><c>bench train</c>: the from-scratch training step of a derived network or a baseline.</summary>
public static class TrainBench
{
    public static Command Create()
    {
        var choice = new ModelChoice.Options();
        var config = CliOptions.Config("a training config (JSON); its batch, input shape, channels, layers, drop-path and optimiser are used");
        var width = CliOptions.Override<double>("--width", "channel multiplier of a baseline (1: the published width)", "W");
        var steps = CliOptions.Number("--steps", 20, "measured steps (the median is reported)");
        var warmup = CliOptions.Number("--warmup", 2, "unmeasured steps first");
        var classes = CliOptions.Number("--classes", 8, "classes of the random labels (the classifier's size)");
        var json = CliOptions.Json("print one JSON line instead of the table (benchmarks/pytorch/compare.py reads it)");
        var command = new Command("train", """
            Training-step time and memory of a derived network or a manual baseline.

            Times the step `train` runs (forward through segment consensus, the auxiliary loss if configured,
            backward, clipping, momentum SGD; drop-path at the config's drop_path) on random clips of the training
            config's shape, so decoding is excluded: weight parameters, median seconds per step, clips per second
            and the process's peak resident memory. benchmarks/pytorch/ times the same step in PyTorch.

            Example: videonas bench train --genotype docs/experiments/example/genotype.json --config docs/experiments/train.json
                     videonas bench train --model r2plus1d18 --width 0.25 --config docs/experiments/train.json
            """) { choice.Model, choice.Genotype, config, width, steps, warmup, classes, json };
        command.SetAction(r =>
        {
            var model = choice.Read(r);
            string? path = r.GetValue(config);
            var c = path is null ? new TrainConfig() : TrainConfig.FromJson(CliOptions.ReadConfig(path), path);
            if (r.GetValue(width) is { } w) c = c with { Width = w };
            c = c.Validated();
            var backbone = model.CreateBackbone(r.GetValue(classes), c);
            var result = TrainBenchmark.Run(backbone, c, r.GetValue(classes), r.GetValue(steps), r.GetValue(warmup));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    framework = "videonas", model = model.Name, width = c.Width, parameters = result.Parameters, batch_size = c.BatchSize,
                    seconds_per_step_median = result.SecondsPerStep, clips_per_second = result.ClipsPerSecond, peak_rss_mib = result.PeakRssBytes / 1048576.0,
                }));
                return;
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "training step: {0}{1}, batch {2} of {3}×{4} frames at {5}px; {6} steps after {7} warm-up",
                model.Name, model.Baseline is null ? $" (C = {c.Channels}, {c.Layers} cells)" : $" at width {c.Width:G3}", c.BatchSize,
                c.Segments, c.FramesPerSegment, c.Resolution, r.GetValue(steps), r.GetValue(warmup)));
            Console.WriteLine("| model | weight parameters | clips/s | s/step (median) | peak RSS (MiB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:N0} | {2:F2} | {3:F3} | {4:F0} |",
                model.Name, result.Parameters, result.ClipsPerSecond, result.SecondsPerStep, result.PeakRssBytes / 1048576.0));
        });
        return command;
    }
}
