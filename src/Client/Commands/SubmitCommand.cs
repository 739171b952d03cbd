using VideoNas.Core.Search;
using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary><c>submit</c>: a search trial on a running cluster (see videonas-silo --help).</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "the search config (JSON)", Required = true, HelpName = "FILE" };
        var dataset = new Option<string>("--dataset") { Description = "the dataset, at a path every silo can read", Required = true, HelpName = "DIR" };
        var shards = CliOptions.Number("--shards", 1, "data-parallel shards, one device each; batch_size must divide by N");
        var split = CliOptions.Split();
        var splitSeed = CliOptions.SplitSeed();
        var id = new Option<string?>("--id") { Description = "the trial id: letters, digits, '_', '.', '-' (default: trial-<UTC time>-<random>); submitting an existing id with the same spec returns its status", HelpName = "ID" };
        var outDir = CliOptions.Out("where the run files go, a path every silo can write (default ./.videonas/runs/<id>, absolute)");
        var dataPlane = new Option<string>("--data-plane")
        {
            Description = "how shards average gradients: tcp (a ring over direct connections to a port on each shard's silo) or orleans " +
                "(through grain messages: slower, for clusters whose silos cannot reach each other's ring ports)",
            DefaultValueFactory = _ => TrialSpec.TcpDataPlane,
        };
        dataPlane.AcceptOnlyFromAmong(TrialSpec.TcpDataPlane, TrialSpec.OrleansDataPlane);
        var follow = new Option<bool>("--follow") { Description = "print progress until the trial ends" };
        var cluster = new ClusterConnection.Options();
        var command = new Command("submit", """
            Submits a search trial, data-parallel over N shards, to a running cluster.

            Submits a search trial to a running cluster and prints its id. The trial runs data-parallel on N
            shards, one device each, spread over the silos. The dataset and --out must be paths every silo can
            read and write (a shared volume in a real cluster). A lost shard (its silo died) does not end the
            trial: it continues from its last checkpoint on the silos that are left, or on one that joins; see
            docs/cluster.md.
            """) { config, dataset, shards, split, splitSeed, id, outDir, dataPlane, follow };
        foreach (var o in cluster.All) command.Options.Add(o);
        command.SetAction(async (r, cancel) =>
        {
            string configPath = r.GetValue(config)!, data = Path.GetFullPath(r.GetValue(dataset)!);
            string trialId = r.GetValue(id) ?? TrialId.New("trial");
            if (TrialId.Problem(trialId) is { } badId) throw new UsageException($"--id: {badId}");
            string output = Path.GetFullPath(r.GetValue(outDir) ?? Path.Combine(".videonas", "runs", trialId));
            var searchConfig = SearchConfig.FromJson(CliOptions.ReadConfig(configPath), configPath);
            if (!Directory.Exists(data)) throw new UsageException($"--dataset {data}: no such directory");
            await using var connection = await ClusterConnection.OpenAsync(cluster.Read(r));
            var trial = connection.Client.GetGrain<ITrialCoordinatorGrain>(trialId);
            var status = await trial.Submit(new TrialSpec(searchConfig.ToJson(), data, r.GetValue(split), output, r.GetValue(shards), r.GetValue(dataPlane)!, r.GetValue(splitSeed)));
            Console.WriteLine(trialId);
            if (!r.GetValue(follow)) return 0;
            status = await TrialProgressPrinter.FollowAsync(trial, status, CancellationToken.None);
            Console.WriteLine($"trial {trialId}: {status.State}{(status.Error is null ? "" : $": {status.Error}")}");
            return status.State == TrialState.Completed ? 0 : 1;
        });
        return command;
    }
}
