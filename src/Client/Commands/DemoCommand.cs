using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Grains;
using VideoNas.Silo;

namespace VideoNas.Client.Commands;

public static class DemoCommand
{
    private const string Description = """
        One search end to end on the embedded default: an in-process silo and a synthetic dataset.

        One search, end to end, on the embedded default: an in-process silo (localhost clustering),
        grain state under --state (default ./.videonas, so later runs find earlier trials), and a
        synthetic motion dataset in the UCF101 layout, generated with ffmpeg when --data is not given.
        A coordinator grain runs a DARTS search over pseudo-3D operations on one shard-worker grain,
        alternating α steps (held-out half) and w steps (training half), and shows progress.

        At the end it prints the derived genotype and writes genotype.json, alphas.json, config.json
        and genotype_history.jsonl (genotype and softmax(α) per epoch) to --out (default: a new folder under <state>/runs/).
        The trial checkpoints every checkpoint_every steps and every epoch; if the process is killed, the
        next demo on the same --state first resumes that trial from its checkpoint and finishes it.
        --config changes only the fields its file names, over the demo's small CPU config (3 cells, 32 px);
        options override the config's fields only when given; config.json beside the run shows what ran.
        """;

    public static Command Create()
    {
        var outDir = CliOptions.Out("where the run files go (default: a new folder under <state>/runs/)");
        var state = CliOptions.State();
        var data = CliOptions.Data();
        var config = CliOptions.Config("a search config (JSON, snake_case fields of SearchConfig) over the demo's small CPU defaults: a partial file changes only what it names");
        var epochs = CliOptions.Override<int>("--epochs", "search epochs (default: the config's)");
        var seed = CliOptions.Override<int>("--seed", "seed of the search and of the dataset it generates (default: the config's, else 2)", "S");
        var command = new Command("demo", Description) { outDir, state, data, config, epochs, seed };
        command.SetAction((r, cancel) => Run(r.GetValue(outDir), r.GetValue(state)!, r.GetValue(data), r.GetValue(config), r.GetValue(epochs), r.GetValue(seed)));
        return command;
    }

    /// <summary>Sized to finish in a few minutes on 2 CPU cores while the search loss visibly falls.</summary>
    public static readonly SearchConfig DemoConfig = new()
    {
        InitChannels = 8, Layers = 3, Steps = 4, Segments = 4, FramesPerSegment = 2, FrameStride = 2, Resolution = 32,
        BatchSize = 8, Epochs = 10, ArchLr = 3e-3,
    };

    /// <summary>The demo's config with the fields of <paramref name="path"/> over it: a partial file changes only what it names.</summary>
    public static SearchConfig ConfigOrDemo(string? path) => path is null ? DemoConfig : SearchConfig.FromJson(CliOptions.ReadConfig(path), path, DemoConfig);

    private static async Task<int> Run(string? outOption, string stateOption, string? dataDir, string? configPath, int? epochs, int? seedOption)
    {
        string stateDir = Path.GetFullPath(stateOption);
        // An option replaces the config's value only when it is given; config.json beside the run shows what ran.
        var config = ConfigOrDemo(configPath);
        config = config with { Seed = seedOption ?? config.Seed, Epochs = epochs ?? config.Epochs };
        int seed = (int)config.Seed;
        string trialId = TrialId.New($"demo-s{seed}");
        string outDir = Path.GetFullPath(outOption ?? Path.Combine(stateDir, "runs", trialId));
        config.Validated(configPath ?? "demo config");

        dataDir = DefaultDataset.Resolve(dataDir, stateDir, seed);

        Console.WriteLine($"starting an in-process silo (state in {stateDir})");
        await using var silo = await EmbeddedSilo.StartAsync(stateDir);
        var earlier = await silo.Grains.GetGrain<ITrialRegistryGrain>(Registries.Trials).List();
        if (earlier.Count > 0)
            Console.WriteLine($"earlier trials in this state folder: {string.Join(", ", earlier.TakeLast(5))}{(earlier.Count > 5 ? $" (+{earlier.Count - 5} more)" : "")}");
        var experiments = await silo.Grains.GetGrain<ITrialRegistryGrain>(Registries.Experiments).List();
        if (experiments.Count > 0)
            Console.WriteLine($"earlier experiments: {string.Join(", ", experiments.TakeLast(5))}{(experiments.Count > 5 ? $" (+{experiments.Count - 5} more)" : "")}; " +
                $"experiment status ID --state {stateDir} shows one");

        using var interrupted = new Interruption();

        // A trial of an earlier demo that was killed (not cancelled) is still unfinished; it has the one
        // device first, so it goes on from its checkpoint and ends before the new trial starts.
        foreach (var id in await silo.Grains.GetGrain<ITrialRegistryGrain>(Registries.Trials).Unfinished())
        {
            var earlierTrial = silo.Grains.GetGrain<ITrialCoordinatorGrain>(id);
            var resumed = await earlierTrial.GetStatus();
            Console.WriteLine($"resuming interrupted trial {id} from its checkpoint at step {resumed.CheckpointStep} (files in {resumed.OutputDir})");
            resumed = await TrialProgressPrinter.FollowAsync(earlierTrial, resumed, interrupted.Token);
            Console.WriteLine($"trial {id} ended {resumed.State}{(resumed.Error is null ? "" : $": {resumed.Error}")}");
            if (resumed.State == TrialState.Cancelled) return 130;
        }

        var coordinator = silo.Grains.GetGrain<ITrialCoordinatorGrain>(trialId);
        Console.WriteLine($"submitting trial {trialId}: {config.Epochs} epochs, {config.Primitives.Count} primitives, " +
            $"{config.Layers} cells, K×F = {config.Segments}×{config.FramesPerSegment} frames at {config.Resolution}px");
        var status = await coordinator.Submit(new TrialSpec(config.ToJson(), dataDir, 1, outDir));
        status = await TrialProgressPrinter.FollowAsync(coordinator, status, interrupted.Token);
        if (status.State == TrialState.Cancelled)
        {
            Console.Error.WriteLine($"trial {trialId} cancelled at step {status.Step}/{status.TotalSteps}; " +
                $"files of finished epochs are in {outDir}");
            return 130;
        }

        if (status.State != TrialState.Completed)
        {
            Console.Error.WriteLine($"trial {trialId} ended {status.State}: {status.Error}");
            return 1;
        }
        Console.WriteLine();
        if (status.StopReason is not null) Console.WriteLine(status.StopReason);
        Console.WriteLine("derived genotype:");
        Console.WriteLine(status.GenotypeJson);
        Console.WriteLine($"run files in {outDir}:");
        foreach (var f in new[] { SearchFiles.GenotypeFileName, SearchFiles.AlphasFileName, "config.json", SearchFiles.HistoryFileName })
            Console.WriteLine($"  {Path.Combine(outDir, f)}");
        return 0;
    }

}
