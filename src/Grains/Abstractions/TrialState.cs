namespace VideoNas.Grains;

/// <summary>
/// Where a trial (or an experiment) stands. Stopped: ended early by its experiment's median rule, on
/// purpose and with its reason; unlike Cancelled and Failed, resuming the experiment leaves it ended.
/// </summary>
[GenerateSerializer]
public enum TrialState { Pending, Running, Completed, Failed, Cancelled, Stopped }

public static class TrialStates
{
    public static bool IsTerminal(this TrialState s) => s is TrialState.Completed or TrialState.Failed or TrialState.Cancelled or TrialState.Stopped;

    /// <summary>Ended without finishing and not on purpose: what <c>experiment resume</c> continues.</summary>
    public static bool IsResumable(this TrialState s) => s is TrialState.Failed or TrialState.Cancelled;
}
