using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Core.Search;
using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary><c>submit</c>, <c>status</c> and <c>cancel</c>: trials on a running cluster (see videonas-silo --help).</summary>
public static class TrialCommands
{
    public const string SubmitHelp = """
        videonas submit --config FILE --dataset DIR [--shards N] [--split 1] [--split-seed S] [--id ID] [--out DIR]
                        [--data-plane tcp|orleans] [--follow]

        Submits a search trial to a running cluster and prints its id. The trial runs data-parallel on N
        shards (default 1), one device each, spread over the silos; batch_size must divide by N. The
        dataset and --out must be paths every silo can read and write (a shared volume in a real cluster).

          --split-seed S  for a dataset of plain class folders: which groups form each split's folds
          --id ID      the trial id (default: trial-<UTC time>); submitting an existing id returns its status
          --out DIR    where the run files go (default ./.videonas/runs/<id>, absolute)
          --data-plane how shards average gradients: tcp (default; a ring over direct connections to a
                       port on each shard's silo) or orleans (through grain messages: slower, for clusters
                       whose silos cannot reach each other's ring ports)
          --follow     print progress until the trial ends

        A lost shard (its silo died) does not end the trial: it continues from its last checkpoint on
        the silos that are left, or on one that joins; see docs/cluster.md.
        """ + "\n" + ClusterConnection.OptionsHelp;

    public const string StatusHelp = """
        videonas status ID [--json]
        videonas cancel ID

        status: the trial's state (Pending, Running, Completed, Failed, Cancelled), step and epoch, the
        latest losses, the current genotype, the coordinator's and the shards' silos, where a step's time
        goes (compute, all-reduce, waiting for the slowest shard), the last
        checkpoint, recoveries and what a recovering trial waits for, and the bad-clip count.
        cancel: stops the trial after the step in flight; files of finished epochs stay.
        """ + "\n" + ClusterConnection.OptionsHelp;

    private static readonly JsonSerializerOptions StatusJson = new(Core.JsonFormats.Output) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<int> Submit(CliArgs args)
    {
        if (args.Help)
        {
            Console.WriteLine(SubmitHelp);
            return 0;
        }
        string configPath = args.Require("config"), dataset = Path.GetFullPath(args.Require("dataset"));
        int shards = args.GetInt("shards", 1), split = args.GetInt("split", 1), splitSeed = args.GetInt("split-seed", 0);
        string id = args.Get("id") ?? $"trial-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        string output = Path.GetFullPath(args.Get("out") ?? Path.Combine(".videonas", "runs", id));
        string dataPlane = args.Get("data-plane", TrialSpec.TcpDataPlane);
        bool follow = args.Flag("follow");
        var config = SearchConfig.FromJson(File.Exists(configPath) ? File.ReadAllText(configPath) : throw new UsageException($"{configPath}: no such config file"), configPath);
        if (!Directory.Exists(dataset)) throw new UsageException($"--dataset {dataset}: no such directory");
        var address = ClusterConnection.Address.From(args);
        args.RejectUnknown();
        await using var cluster = await ClusterConnection.OpenAsync(address);
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>(id);
        var status = await trial.Submit(new TrialSpec(config.ToJson(), dataset, split, output, shards, dataPlane, splitSeed));
        Console.WriteLine(id);
        if (!follow) return 0;
        status = await TrialProgressPrinter.FollowAsync(trial, status, CancellationToken.None);
        Console.WriteLine($"trial {id}: {status.State}{(status.Error is null ? "" : $": {status.Error}")}");
        return status.State == TrialState.Completed ? 0 : 1;
    }

    public static Task<int> Status(CliArgs args)
    {
        bool json = args.Flag("json");
        return OnKnownTrial(args, async trial =>
        {
            var status = await trial.GetStatus();
            Console.WriteLine(json ? JsonSerializer.Serialize(status, StatusJson) : Describe(status));
        });
    }

    public static Task<int> Cancel(CliArgs args) => OnKnownTrial(args, async trial =>
    {
        var status = await trial.Cancel();
        Console.WriteLine($"trial {status.TrialId}: {status.State}");
    });

    /// <summary>
    /// Runs <paramref name="action"/> on the trial named by the one positional argument, once the registry
    /// confirms the id: a typo must not create a trial.
    /// </summary>
    private static async Task<int> OnKnownTrial(CliArgs args, Func<ITrialCoordinatorGrain, Task> action)
    {
        if (args.Help || args.Positionals.Count != 1)
        {
            Console.WriteLine(StatusHelp);
            return args.Help ? 0 : 2;
        }
        var address = ClusterConnection.Address.From(args);
        args.RejectUnknown();
        await using var cluster = await ClusterConnection.OpenAsync(address);
        string id = args.Positionals[0];
        var known = await cluster.Client.GetGrain<ITrialRegistryGrain>(0).List();
        if (!known.Contains(id))
            throw new UsageException($"no trial \"{id}\" in this cluster; known: {string.Join(", ", known.TakeLast(10))}");
        await action(cluster.Client.GetGrain<ITrialCoordinatorGrain>(id));
        return 0;
    }

    private static string Describe(TrialStatus s)
    {
        var lines = new List<string> { $"trial {s.TrialId}: {s.State}, epoch {s.Epoch}/{s.Epochs}, step {s.Step}/{s.TotalSteps}" };
        if (s.Train is not null) lines.Add(TrialProgressPrinter.Format(s).Trim());
        if (s.Coordinator is not null) lines.Add($"coordinator on silo {s.Coordinator}");
        lines.AddRange(s.Shards.Select(sh => $"shard {sh.Index} on silo {sh.Silo}" + (sh.DataPlane.Length > 0 ? $", gradients via {sh.DataPlane}" : "")));
        if (s.Timing is { } t)
            lines.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "step time {0:F3} s: compute {1:F3}, all-reduce {2:F3}, waiting for peers {3:F3} (mean of {4} steps); {5:F1} MB reduced per step, {6:F3} s of it hidden behind backward",
                t.StepSeconds, t.ComputeSeconds, t.ReduceSeconds, t.WaitSeconds, t.Steps, t.BytesPerStep / 1e6, t.OverlappedSeconds));
        lines.Add($"last checkpoint: step {s.CheckpointStep}" + (s.Recoveries > 0 ? $"; recoveries: {s.Recoveries}" : ""));
        if (s.Notice is not null) lines.Add(s.Notice);
        lines.Add($"bad clips: {s.BadClips}");
        if (s.Error is not null) lines.Add($"error: {s.Error}");
        if (s.StopReason is not null) lines.Add(s.StopReason);
        if (s.GenotypeJson is not null) lines.Add($"genotype: {s.GenotypeJson.ReplaceLineEndings(" ")}");
        lines.Add($"run files: {s.OutputDir}");
        return string.Join('\n', lines);
    }
}
