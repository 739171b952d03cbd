using System.Globalization;
using System.Text.Json;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas.Training;

namespace VideoNas.Client.Commands;

public static class TrainCommand
{
    private const string Description = """
        Trains a derived genotype or a manual baseline from scratch and tests it.

        Trains a network from scratch on the training list and tests it on the test list of a dataset
        (default: the synthetic motion set under --state, written on first use). A derived genotype and every
        manual baseline get the same protocol: momentum SGD with a cosine schedule, TSN input (K segments × F
        frames), clip accuracy (each test clip alone) and video accuracy (softmax averaged over N uniformly
        spaced clips).

        Writes result.json (model, params, flops per clip, accuracies, per-epoch loss) and config.json to
        --out (default <state>/train/<model>-<time>/); --json also prints result.json. Options override the
        config's fields only when given.

        Input (config fields): short_side (decode the short side to this, then crop; default = resolution),
        multi_scale_crop (TSN multi-scale random crops in training), flip (random mirroring in training; off
        by default, since a class may be defined by its direction), decode_cache (keep decoded clips in
        memory; default true), decode_cache_dir (keep them on disk there instead, for data larger than
        memory), decode_workers (0 = one per core), prefetch_batches (default 2). See docs/data.md.
        """;

    public static Command Create()
    {
        var choice = new ModelChoice.Options();
        var data = CliOptions.Data();
        var split = CliOptions.Split();
        var splitSeed = CliOptions.SplitSeed();
        var config = CliOptions.Config("a training config (JSON, snake_case fields of TrainConfig)");
        var epochs = CliOptions.Override<int>("--epochs", "training epochs");
        var batchSize = CliOptions.Override<int>("--batch-size", "clips per batch", "B");
        var lr = CliOptions.Override<double>("--lr", "initial learning rate (cosine to lr_min)", "X");
        var resolution = CliOptions.Override<int>("--resolution", "crop height and width", "R");
        var width = CliOptions.Override<double>("--width", "channel multiplier of a baseline (1: the published width)", "W");
        var channels = CliOptions.Override<int>("--channels", "initial channels of a derived network", "C");
        var layers = CliOptions.Override<int>("--layers", "cells of a derived network", "L");
        var testClips = CliOptions.Override<int>("--test-clips", "clips per test video, uniformly spaced");
        var frameStride = CliOptions.Override<int>("--frame-stride", "frames between sampled frames within a segment", "S");
        var seed = CliOptions.Override<int>("--seed", "seed of the initial weights, the data order and the default dataset", "S");
        var outDir = CliOptions.Out("where result.json and config.json go (default <state>/train/<model>-<time>/)");
        var state = CliOptions.State();
        var json = CliOptions.Json("also print result.json");
        var command = new Command("train", Description + "\n\n" + DatasetLayout.Help)
        {
            choice.Model, choice.Genotype, data, split, splitSeed, config, epochs, batchSize, lr, resolution, width, channels, layers,
            testClips, frameStride, seed, outDir, state, json,
        };
        command.SetAction(r =>
        {
            string? configPath = r.GetValue(config);
            var c = configPath is null ? new TrainConfig() : TrainConfig.FromJson(CliOptions.ReadConfig(configPath), configPath);
            c = c with
            {
                Epochs = r.GetValue(epochs) ?? c.Epochs,
                BatchSize = r.GetValue(batchSize) ?? c.BatchSize,
                Lr = r.GetValue(lr) ?? c.Lr,
                Resolution = r.GetValue(resolution) ?? c.Resolution,
                Width = r.GetValue(width) ?? c.Width,
                Channels = r.GetValue(channels) ?? c.Channels,
                Layers = r.GetValue(layers) ?? c.Layers,
                TestClips = r.GetValue(testClips) ?? c.TestClips,
                FrameStride = r.GetValue(frameStride) ?? c.FrameStride,
                Seed = r.GetValue(seed) ?? c.Seed,
            };
            c.Validated(configPath ?? "options");
            return Run(choice.Read(r), c, r.GetValue(data), r.GetValue(split), r.GetValue(splitSeed), r.GetValue(outDir), r.GetValue(state)!, r.GetValue(json));
        });
        return command;
    }

    private static int Run(ModelChoice choice, TrainConfig config, string? dataDir, int split, int splitSeed, string? outOption, string state, bool json)
    {
        string stateDir = Path.GetFullPath(state);
        string outDir = Path.GetFullPath(outOption ??
            Path.Combine(stateDir, "train", $"{choice.Baseline ?? "genotype"}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        var dataset = DatasetLayout.Open(DefaultDataset.Resolve(dataDir, stateDir, (int)config.Seed), split, splitSeed);
        Directory.CreateDirectory(outDir);
        SearchFiles.WriteAtomically(Path.Combine(outDir, "config.json"), config.ToJson());
        Console.WriteLine($"training {choice.Name} from scratch: {config.Epochs} epochs on {dataset.Train.Count} clips, " +
            $"testing on {dataset.Test.Count} videos × {config.TestClips} clips");

        var c = CultureInfo.InvariantCulture;
        using var logs = CliLogging.Create();
        var result = choice.TrainFromScratch(config, dataset, e =>
            Console.WriteLine(string.Format(c, "epoch {0}/{1}: loss {2:F3} acc {3:P0} lr {4:F4}", e.Epoch, config.Epochs, e.Loss, e.Accuracy, e.LearningRate)),
            logs.CreateLogger("train"));

        string resultJson = JsonSerializer.Serialize(result, Core.JsonFormats.Output);
        SearchFiles.WriteAtomically(Path.Combine(outDir, "result.json"), resultJson);
        Console.WriteLine(string.Format(c, "{0}: clip accuracy {1:P1}, video accuracy {2:P1} on {3} test videos; {4:N0} parameters, {5:F3} GFLOPs per clip",
            result.Model, result.ClipAccuracy, result.VideoAccuracy, result.TestVideos, result.Params, result.FlopsPerClip / 1e9));
        if (result.BadClips > 0) Console.WriteLine($"{result.BadClips} clips could not be decoded and were skipped");
        Console.WriteLine($"result in {Path.Combine(outDir, "result.json")}");
        if (json) Console.WriteLine(resultJson);
        return 0;
    }
}
