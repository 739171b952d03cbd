using VideoNas.Grains;

namespace VideoNas.Client.Commands.Experiment;

/// <summary>A command on one experiment, named by its id, which the registry must know: a typo must not create one.</summary>
internal static class KnownExperiment
{
    public static Command Command(string name, string description, Func<ParseResult, IExperimentGrain, Task<int>> action)
    {
        var id = new Argument<string>("ID") { Description = "the experiment id, as submit or run printed it" };
        var access = new GrainAccess.Options();
        var command = new Command(name, description) { id };
        foreach (var o in access.All) command.Options.Add(o);
        command.SetAction(async (r, _) =>
        {
            await using var grains = await GrainAccess.OpenAsync(access, r);
            string experimentId = r.GetValue(id)!;
            var known = await grains.Grains.GetGrain<ITrialRegistryGrain>(Registries.Experiments).List();
            if (!known.Contains(experimentId))
                throw new UsageException($"no experiment \"{experimentId}\" here; known: {(known.Count == 0 ? "none" : string.Join(", ", known.TakeLast(10)))}");
            return await action(r, grains.Grains.GetGrain<IExperimentGrain>(experimentId));
        });
        return command;
    }
}
