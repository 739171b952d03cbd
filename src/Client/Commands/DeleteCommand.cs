using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary><c>delete</c> and <c>experiment delete</c>: forget a finished run, and with --files remove what it wrote.</summary>
public static class DeleteCommand
{
    private const string FilesHelp = "also delete the files VideoNas wrote for it (run files, checkpoints, the experiment's report); other files in its folders stay";

    public static Command Trial()
    {
        var files = new Option<bool>("--files") { Description = FilesHelp };
        var command = KnownId.Trial("delete", """
            Forgets a finished trial (Completed, Failed, Cancelled or Stopped); with --files also deletes its files.

            Removes the trial's record, so list and status no longer show it and its id can be used again. With
            --files it also deletes its run files (config.json, alphas.json, genotype.json, genotype_history.jsonl)
            and its checkpoints, and each folder left empty; files VideoNas did not write stay, and are listed.
            A running trial must be cancelled first; a seed of an experiment goes with experiment delete.
            """, async (r, trial) => Print("trial", await Refused(() => trial.Delete(r.GetValue(files)))));
        command.Options.Add(files);
        return command;
    }

    public static Command Experiment()
    {
        var files = new Option<bool>("--files") { Description = FilesHelp };
        var command = KnownId.Experiment("delete", """
            Forgets a finished experiment and all its trials; with --files also deletes their files and its report.

            Removes the experiment's record and every trial it submitted. With --files it also deletes the trials'
            run files and checkpoints, and its report (summary.json, summary.md, plots, cell diagrams), and each
            folder left empty; files VideoNas did not write stay, and are listed. A running experiment must be
            cancelled first.
            """, async (r, experiment) =>
        {
            Print("experiment", await Refused(() => experiment.Delete(r.GetValue(files))));
            return 0;
        });
        command.Options.Add(files);
        return command;
    }

    /// <summary>A run that is still going, or a seed of an experiment, is a misuse of the verb (exit 2), not a failure.</summary>
    private static async Task<DeletedRun> Refused(Func<Task<DeletedRun>> delete)
    {
        try
        {
            return await delete();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static void Print(string kind, DeletedRun run)
    {
        Console.WriteLine($"deleted {kind} {run.Id}: its record{(run.FilesDeleted > 0 ? $" and {run.FilesDeleted} file(s)" : "")}");
        foreach (var path in run.Kept) Console.WriteLine($"kept (not written by VideoNas): {path}");
    }
}
