namespace VideoNas.Grains;

[GenerateSerializer]
public sealed class TrialRegistryState
{
    [Id(0)] public List<string> TrialIds { get; set; } = [];
    [Id(1)] public List<string> Unfinished { get; set; } = [];
}

public sealed class TrialRegistryGrain(
    [PersistentState("registry", VideoNasStorage.Name)] IPersistentState<TrialRegistryState> state)
    : Grain, ITrialRegistryGrain
{
    public async Task Register(string trialId)
    {
        if (state.State.Unfinished.Contains(trialId)) return;
        if (!state.State.TrialIds.Contains(trialId)) state.State.TrialIds.Add(trialId);
        state.State.Unfinished.Add(trialId);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.TrialIds.ToList());

    public async Task Finished(string trialId)
    {
        if (state.State.Unfinished.Remove(trialId)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Unfinished() => Task.FromResult<IReadOnlyList<string>>(state.State.Unfinished.ToList());

    public async Task Forget(string trialId)
    {
        if (state.State.TrialIds.Remove(trialId) | state.State.Unfinished.Remove(trialId)) await state.WriteStateAsync();
    }
}
