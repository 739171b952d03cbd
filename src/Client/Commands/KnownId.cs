using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary>
/// A command on one trial or experiment named by its id, on a cluster or (<c>--state DIR</c>) the embedded default's
/// state folder. The registry must know the id: a typo must not activate, and so create, a new grain.
/// </summary>
internal static class KnownId
{
    public static Command Trial(string name, string description, Func<ParseResult, ITrialCoordinatorGrain, Task> action) =>
        Command<ITrialCoordinatorGrain>(name, description, Registries.Trials, "trial", async (r, trial) =>
        {
            await action(r, trial);
            return 0;
        });

    public static Command Experiment(string name, string description, Func<ParseResult, IExperimentGrain, Task<int>> action) =>
        Command<IExperimentGrain>(name, description, Registries.Experiments, "experiment", action);

    private static Command Command<TGrain>(string name, string description, long registry, string noun, Func<ParseResult, TGrain, Task<int>> action)
        where TGrain : IGrainWithStringKey
    {
        var id = new Argument<string>("ID") { Description = $"the {noun} id, as submit or run printed it" };
        var access = new GrainAccess.Options();
        var command = new Command(name, description) { id };
        foreach (var o in access.All) command.Options.Add(o);
        command.SetAction(async (r, _) =>
        {
            await using var grains = await GrainAccess.OpenAsync(access, r);
            string key = r.GetValue(id)!;
            var known = await grains.Grains.GetGrain<ITrialRegistryGrain>(registry).List();
            if (!known.Contains(key))
                throw new UsageException($"no {noun} \"{key}\" here; known: {(known.Count == 0 ? "none" : string.Join(", ", known.TakeLast(10)))}");
            return await action(r, grains.Grains.GetGrain<TGrain>(key));
        });
        return command;
    }
}
