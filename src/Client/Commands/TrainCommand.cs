using System.Globalization;
using System.Text.Json;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas.Training;

namespace VideoNas.Client.Commands;

public static class TrainCommand
{
    public const string Help = """
        videonas train (--genotype FILE | --model c3d|p3d|r2plus1d18|r3d18) [--data DIR] [--split 1|2|3] [--split-seed S]
                       [--config FILE] [--epochs N] [--batch-size B] [--lr X] [--resolution R] [--width W]
                       [--channels C] [--layers L] [--test-clips N] [--frame-stride S] [--seed S] [--out DIR] [--state DIR] [--json]

        Trains a network from scratch on the training list and tests it on the test list of a dataset
        (default: the synthetic motion set under --state, written on first use). A
        derived genotype and every manual baseline get the same protocol: momentum SGD with a cosine
        schedule, TSN input (K segments × F frames), clip accuracy (each test clip alone) and video
        accuracy (softmax averaged over N uniformly spaced clips).

        Writes result.json (model, params, flops per clip, accuracies, per-epoch loss) and config.json to
        --out (default <state>/train/<model>-<time>/); --json also prints result.json.

          --config FILE  a training config (JSON, snake_case fields of TrainConfig); options override it
          --width W      channel multiplier of a baseline (default 1); --channels/--layers size a genotype

        Input (config fields): short_side (decode the short side to this, then crop; default = resolution),
        multi_scale_crop (TSN multi-scale random crops in training), flip (random mirroring in training; off
        by default, since a class may be defined by its direction), decode_cache (keep decoded clips in
        memory; default true), decode_cache_dir (keep them on disk there instead, for data larger than
        memory), decode_workers (0 = one per core), prefetch_batches (default 2). See docs/data.md.
        """ + "\n\n" + DatasetLayout.Help;

    public static int Run(CliArgs args)
    {
        if (args.Help)
        {
            Console.WriteLine(Help);
            return 0;
        }
        var choice = ModelChoice.Read(args);
        string stateDir = Path.GetFullPath(args.Get("state", ".videonas"));
        string? configPath = args.Get("config");
        var config = configPath is null ? new TrainConfig() : ReadConfig(configPath);
        config = config with
        {
            Epochs = args.GetInt("epochs", config.Epochs),
            BatchSize = args.GetInt("batch-size", config.BatchSize),
            Lr = args.GetDouble("lr", config.Lr),
            Resolution = args.GetInt("resolution", config.Resolution),
            Width = args.GetDouble("width", config.Width),
            Channels = args.GetInt("channels", config.Channels),
            Layers = args.GetInt("layers", config.Layers),
            TestClips = args.GetInt("test-clips", config.TestClips),
            FrameStride = args.GetInt("frame-stride", config.FrameStride),
            Seed = args.GetInt("seed", (int)config.Seed),
        };
        config.Validated(configPath ?? "options");
        string? dataDir = args.Get("data");
        int split = args.GetInt("split", 1), splitSeed = args.GetInt("split-seed", 0);
        string outDir = Path.GetFullPath(args.Get("out") ??
            Path.Combine(stateDir, "train", $"{choice.Baseline ?? "genotype"}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        bool json = args.Flag("json");
        args.RejectUnknown();

        var dataset = DatasetLayout.Open(DefaultDataset.Resolve(dataDir, stateDir, (int)config.Seed), split, splitSeed);
        Directory.CreateDirectory(outDir);
        SearchFiles.WriteAtomically(Path.Combine(outDir, "config.json"), config.ToJson());
        Console.WriteLine($"training {choice.Name} from scratch: {config.Epochs} epochs on {dataset.Train.Count} clips, " +
            $"testing on {dataset.Test.Count} videos × {config.TestClips} clips");

        var backbone = choice.CreateBackbone(dataset.Classes.Count, config.Width, config.Channels, config.Layers,
            config.AuxiliaryWeight > 0, config.Seed, config.StemTemporalKernel);
        var c = CultureInfo.InvariantCulture;
        var result = new ScratchTrainer(config, dataset, Console.WriteLine).Train(choice.Name, backbone, e =>
            Console.WriteLine(string.Format(c, "epoch {0}/{1}: loss {2:F3} acc {3:P0} lr {4:F4}", e.Epoch, config.Epochs, e.Loss, e.Accuracy, e.LearningRate)));

        string resultJson = JsonSerializer.Serialize(result, Core.JsonFormats.Output);
        SearchFiles.WriteAtomically(Path.Combine(outDir, "result.json"), resultJson);
        Console.WriteLine(string.Format(c, "{0}: clip accuracy {1:P1}, video accuracy {2:P1} on {3} test videos; {4:N0} parameters, {5:F3} GFLOPs per clip",
            result.Model, result.ClipAccuracy, result.VideoAccuracy, result.TestVideos, result.Params, result.FlopsPerClip / 1e9));
        if (result.BadClips > 0) Console.WriteLine($"{result.BadClips} clips could not be decoded and were skipped");
        Console.WriteLine($"result in {Path.Combine(outDir, "result.json")}");
        if (json) Console.WriteLine(resultJson);
        return 0;
    }

    private static TrainConfig ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: no such config file");
        try
        {
            return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), SearchConfig.Json) ?? throw new FormatException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }
}
