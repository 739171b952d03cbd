using Spectre.Console;
using VideoNas.Core.Experiments;
using VideoNas.Grains;

namespace VideoNas.Client.Commands.Experiment;

/// <summary><c>experiment status</c>, and how run, watch and submit --follow end.</summary>
internal static class ExperimentStatusCommand
{
    public static Command Create()
    {
        var json = CliOptions.Json("the status as JSON: per seed its trial's state, epoch and step, losses, accuracy, silos, what it waits for, genotype");
        var command = KnownId.Experiment("status", """
            An experiment's seeds: state, progress, silos, why a seed waits; the comparison of seeds.

            One row per seed: its trial's state (Pending, Running, Completed, Failed, Cancelled, Stopped), epoch and
            step, latest losses and α-split accuracy, silos, and what a Pending trial waits for (a slot of the
            experiment, or devices and its place in the queue). Then summary.md: per seed the genotype's agreement
            with the others, the edges the seeds chose and the genotype most seeds agree with.
            """, async (r, experiment) =>
        {
            var status = await experiment.GetStatus();
            if (r.GetValue(json))
            {
                Console.WriteLine(ExperimentStatusJson.Serialize(status));
                return 0;
            }
            AnsiConsole.Write(ExperimentProgressPrinter.Table(status));
            if (status.Error is not null) Console.WriteLine($"error: {status.Error}");
            if (status.SummaryMarkdown is not null) Console.WriteLine(status.SummaryMarkdown);
            Console.WriteLine($"files: {status.Spec.OutputDir}");
            return 0;
        });
        command.Options.Add(json);
        return command;
    }

    /// <summary>Prints how the experiment ended (on stderr under --json, whose stdout is JSON only) and returns the exit code: 0 all completed (or stopped early on purpose), 130 cancelled, 1 otherwise.</summary>
    public static int Conclude(ExperimentStatus status, bool json = false)
    {
        var output = json ? Console.Error : Console.Out;
        output.WriteLine($"experiment {status.ExperimentId} ended {status.State}{(status.Error is null ? "" : $": {status.Error}")}");
        output.WriteLine($"comparison of seeds: {Path.Combine(status.Spec.OutputDir, ExperimentSummary.MarkdownFileName)} (and summary.json, plots, cells)");
        return status.State switch { TrialState.Completed => 0, TrialState.Cancelled => 130, _ => 1 };
    }
}
