namespace VideoNas.Client.Commands;

/// <summary><c>cancel</c>: stops a trial on a cluster or in the embedded default's state folder.</summary>
public static class CancelCommand
{
    public static Command Create() => KnownId.Trial("cancel", "Stops the trial after the step in flight; files of finished epochs stay.", async (_, trial) =>
    {
        var status = await trial.Cancel();
        Console.WriteLine($"trial {status.TrialId}: {status.State}");
    });
}
