namespace VideoNas.Client.Commands;

/// <summary><c>cancel</c>: stops a trial on a running cluster.</summary>
public static class CancelCommand
{
    public static Command Create() => KnownTrial.Command("cancel", "Stops the trial after the step in flight; files of finished epochs stay.", async (_, trial) =>
    {
        var status = await trial.Cancel();
        Console.WriteLine($"trial {status.TrialId}: {status.State}");
    });
}
