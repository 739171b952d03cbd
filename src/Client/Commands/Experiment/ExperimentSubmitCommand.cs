using VideoNas.Grains;

namespace VideoNas.Client.Commands.Experiment;

/// <summary><c>experiment submit</c>: an experiment on a running cluster.</summary>
internal static class ExperimentSubmitCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions(embedded: false);
        var follow = new Option<bool>("--follow") { Description = "follow the experiment to its end, as experiment watch does" };
        var json = CliOptions.Json("print the submitted experiment's status as JSON instead of its id (with --follow, JSON Lines as experiment watch --json)");
        var cluster = new ClusterConnection.Options();
        var command = new Command("submit", """
            Submits an experiment (one search config, several seeds) to a running cluster; prints its id.

            Submits one search configuration with several seeds to a running cluster, one trial per seed, at most
            --parallel at once. Each trial asks for --shards-per-trial devices and waits in the cluster's device
            queue (state Pending, with the reason) until they are free, in submission order across experiments
            (--priority goes ahead). A trial asking for more devices than the whole cluster has fails once no silo
            has joined for VideoNas:Recovery:CapacityWait. Trials spread over the silos. The dataset and --out must be
            paths every silo can read and write. Prints the experiment id; follow it with experiment watch ID.
            """) { follow, json };
        foreach (var o in options.All.Concat(cluster.All)) command.Options.Add(o);
        command.SetAction(async (r, _) =>
        {
            string data = Path.GetFullPath(r.GetValue(options.Data)!);
            if (!Directory.Exists(data)) throw new UsageException($"--data {data}: no such directory");
            var (id, spec, _) = options.Read(r, _ => data, Path.Combine(".videonas", "runs"));
            await using var connection = await ClusterConnection.OpenAsync(cluster.Read(r));
            var experiment = connection.Client.GetGrain<IExperimentGrain>(id);
            var status = await experiment.Submit(spec);
            bool asJson = r.GetValue(json);
            if (!r.GetValue(follow))
            {
                Console.WriteLine(asJson ? ExperimentStatusJson.Serialize(status) : id);
                return 0;
            }
            if (!asJson) Console.WriteLine(id);
            return ExperimentStatusCommand.Conclude(await ExperimentProgressPrinter.FollowAsync(experiment, status, CancellationToken.None, asJson), asJson);
        });
        return command;
    }
}
