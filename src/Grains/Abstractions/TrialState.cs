namespace VideoNas.Grains;

[GenerateSerializer]
public enum TrialState { Pending, Running, Completed, Failed, Cancelled }

public static class TrialStates
{
    public static bool IsTerminal(this TrialState s) => s is TrialState.Completed or TrialState.Failed or TrialState.Cancelled;
}
