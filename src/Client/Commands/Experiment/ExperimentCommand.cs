using VideoNas.Grains;

namespace VideoNas.Client.Commands.Experiment;

/// <summary><c>experiment</c>: many seeds of one search config as parallel trials, followed and compared.</summary>
public static class ExperimentCommand
{
    public static Command Create() => new("experiment", """
        Experiments: one search config run with several seeds as parallel trials, queued, followed and compared.

        An experiment runs one search configuration with several seeds, each seed a trial, under one id, and
        compares the seeds when they end (summary.json, summary.md, plots, cell diagrams in its folder).
        `run` uses the embedded default; `submit` a running cluster. The other verbs reach a cluster with
        --redis/--gateway, or an embedded state folder with --state.
        """)
    {
        ExperimentRunCommand.Create(), ExperimentSubmitCommand.Create(), List(), ExperimentStatusCommand.Create(), Watch(), Cancel(), Resume(), DeleteCommand.Experiment(),
    };

    private static Command List()
    {
        var access = new GrainAccess.Options();
        var json = CliOptions.Json("a JSON array, oldest first, of the statuses experiment status --json prints");
        var command = new Command("list", "The experiments this cluster (or --state folder) knows, oldest first, with state and seeds.") { json };
        foreach (var o in access.All) command.Options.Add(o);
        command.SetAction(async (r, _) =>
        {
            await using var grains = await GrainAccess.OpenAsync(access, r);
            var ids = await grains.Grains.GetGrain<ITrialRegistryGrain>(Registries.Experiments).List();
            var statuses = new List<ExperimentStatus>();
            foreach (var id in ids) statuses.Add(await grains.Grains.GetGrain<IExperimentGrain>(id).GetStatus());
            if (r.GetValue(json))
            {
                Console.WriteLine(ExperimentStatusJson.Serialize(statuses));
                return 0;
            }
            if (ids.Count == 0) Console.WriteLine("no experiments");
            foreach (var s in statuses)
            {
                var counts = s.Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key}");
                Console.WriteLine($"{s.ExperimentId}  {s.State}  created {s.CreatedUtc:u}  seeds {string.Join(",", s.Spec.Seeds)}: {string.Join(", ", counts)}");
            }
            return 0;
        });
        return command;
    }

    private static Command Watch()
    {
        var json = CliOptions.Json("JSON Lines: the status as experiment status --json prints it, whenever it changes; the last line is the final one");
        var command = KnownId.Experiment("watch",
            "Follows an experiment to its end: a live table of its seeds (plain lines without a terminal). Exit 0 when every trial completed.",
            async (r, experiment) => ExperimentStatusCommand.Conclude(
                await ExperimentProgressPrinter.FollowAsync(experiment, await experiment.GetStatus(), CancellationToken.None, r.GetValue(json)), r.GetValue(json)));
        command.Options.Add(json);
        return command;
    }

    private static Command Cancel() => Verb("cancel",
        "Cancels an experiment: its running trials after their step in flight, and the seeds not started. Files of finished epochs stay; resume continues it.",
        e => e.Cancel());

    private static Command Resume() => Verb("resume",
        "Continues a cancelled or failed experiment: its cancelled and failed trials from their checkpoints, then the seeds never started.",
        e => e.Resume());

    private static Command Verb(string name, string description, Func<IExperimentGrain, Task<ExperimentStatus>> call) =>
        KnownId.Experiment(name, description, async (_, experiment) =>
        {
            var s = await call(experiment);
            Console.WriteLine($"experiment {s.ExperimentId}: {s.State}");
            return 0;
        });
}
