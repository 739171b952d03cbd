using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary>A command on one trial of a running cluster, named by its id, which the registry must know: a typo must not create a trial.</summary>
public static class KnownTrial
{
    public static Command Command(string name, string description, Func<ParseResult, ITrialCoordinatorGrain, Task> action)
    {
        var id = new Argument<string>("ID") { Description = "the trial id, as submit printed it" };
        var cluster = new ClusterConnection.Options();
        var command = new Command(name, description) { id };
        foreach (var o in cluster.All) command.Options.Add(o);
        command.SetAction(async (r, cancel) =>
        {
            await using var connection = await ClusterConnection.OpenAsync(cluster.Read(r));
            string trialId = r.GetValue(id)!;
            var known = await connection.Client.GetGrain<ITrialRegistryGrain>(Registries.Trials).List();
            if (!known.Contains(trialId))
                throw new UsageException($"no trial \"{trialId}\" in this cluster; known: {string.Join(", ", known.TakeLast(10))}");
            await action(r, connection.Client.GetGrain<ITrialCoordinatorGrain>(trialId));
            return 0;
        });
        return command;
    }
}
