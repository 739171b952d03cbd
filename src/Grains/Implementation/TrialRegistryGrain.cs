namespace VideoNas.Grains;

public sealed class TrialRegistryState
{
    public List<string> TrialIds { get; set; } = [];
}

public sealed class TrialRegistryGrain(
    [PersistentState("registry", VideoNasStorage.Name)] IPersistentState<TrialRegistryState> state)
    : Grain, ITrialRegistryGrain
{
    public async Task Register(string trialId)
    {
        if (state.State.TrialIds.Contains(trialId)) return;
        state.State.TrialIds.Add(trialId);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.TrialIds.ToList());
}
