using VideoNas.Grains;
using VideoNas.Silo;

namespace VideoNas.Client.Commands.Experiment;

/// <summary><c>experiment run</c>: an experiment on the embedded default, followed to its end.</summary>
internal static class ExperimentRunCommand
{
    public static Command Create()
    {
        var options = new ExperimentOptions(embedded: true);
        var state = CliOptions.State();
        var command = new Command("run", """
            Runs an experiment (one search config, several seeds) on the embedded default, to its end.

            Runs one search configuration with several seeds, one trial each, on an in-process silo with
            --parallel × --shards-per-trial devices (state under --state, as demo keeps it). A seed waits (Pending, with
            its reason) until a slot is free. Prints a live table of the seeds (plain lines without a terminal) and,
            at the end, where the comparison went: summary.json and summary.md (each seed's genotype, final α-split
            accuracy and loss, search time, how far the seeds' genotypes agree, edge by edge), loss.png and
            accuracy.png, α charts per seed (a panel per edge), and each seed's cells drawn with graphviz.
            Interrupted (Ctrl+C), it cancels the trials after their step in flight; the same command with the same
            --id resumes the experiment, each trial from its checkpoint. Exit 0 when every trial completed.
            """) { state };
        foreach (var o in options.All) command.Options.Add(o);
        command.SetAction((r, _) => Run(r, options, Path.GetFullPath(r.GetValue(state)!)));
        return command;
    }

    private static async Task<int> Run(ParseResult r, ExperimentOptions options, string stateDir)
    {
        string? data = r.GetValue(options.Data);
        var (id, spec, config) = options.Read(r, c => DefaultDataset.Resolve(data, stateDir, (int)c.Seed), Path.Combine(stateDir, "runs"));
        Console.WriteLine($"experiment {id}: seeds {string.Join(",", spec.Seeds)}, {spec.Parallel} at once, {config.Epochs} epochs each; files in {spec.OutputDir}");
        return ExperimentStatusCommand.Conclude(await RunToEnd(stateDir, id, spec));
    }

    /// <summary>
    /// Runs the experiment on an in-process silo with a device per parallel shard: submits it, resumes it if an earlier
    /// run was interrupted, and follows it to its end (Ctrl+C cancels it). The same id and spec find a finished one as it ended.
    /// </summary>
    public static async Task<ExperimentStatus> RunToEnd(string stateDir, string id, ExperimentSpec spec)
    {
        await using var silo = await EmbeddedSilo.StartAsync(stateDir, cpuSlots: spec.Parallel * spec.ShardsPerTrial);
        using var interrupted = new Interruption();
        var experiment = silo.Grains.GetGrain<IExperimentGrain>(id);
        var status = await experiment.Submit(spec);
        if (status.State.IsResumable()) status = await experiment.Resume();
        return await ExperimentProgressPrinter.FollowAsync(experiment, status, interrupted.Token);
    }
}
