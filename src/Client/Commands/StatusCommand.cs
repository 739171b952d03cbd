using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Grains;

namespace VideoNas.Client.Commands;

/// <summary><c>status</c>: what a trial, on a cluster or in the embedded default's state folder, is doing.</summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions StatusJson = new(Core.JsonFormats.Output) { Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var json = CliOptions.Json("the status as JSON");
        var command = KnownId.Trial("status", """
            A trial's state, progress, genotype, shards, silos and step time.

            The trial's state (Pending, Running, Completed, Failed, Cancelled), step and epoch, the latest losses,
            the current genotype, the coordinator's and the shards' silos, where a step's time goes (compute,
            all-reduce, waiting for the slowest shard), the last checkpoint, recoveries and what a recovering
            trial waits for, and the bad-clip count.
            """, async (r, trial) =>
        {
            var status = await trial.GetStatus();
            Console.WriteLine(r.GetValue(json) ? JsonSerializer.Serialize(status, StatusJson) : Describe(status));
        });
        command.Options.Add(json);
        return command;
    }

    private static string Describe(TrialStatus s)
    {
        var lines = new List<string> { $"trial {s.TrialId}: {s.State}, epoch {s.Epoch}/{s.Epochs}, step {s.Step}/{s.TotalSteps}" };
        if (s.Train is not null) lines.Add(TrialProgressPrinter.Format(s).Trim());
        if (s.Coordinator is not null) lines.Add($"coordinator on silo {s.Coordinator}");
        lines.AddRange(s.Shards.Select(sh => $"shard {sh.Index} on silo {sh.Silo}" + (sh.DataPlane.Length > 0 ? $", gradients via {sh.DataPlane}" : "")));
        if (s.Timing is { } t)
            lines.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "step time {0:F3} s: compute {1:F3}, all-reduce {2:F3}, waiting for peers {3:F3} (mean of {4} steps); {5:F1} MB reduced per step, {6:F3} s of it hidden behind backward",
                t.StepSeconds, t.ComputeSeconds, t.ReduceSeconds, t.WaitSeconds, t.Steps, t.BytesPerStep / 1e6, t.OverlappedSeconds));
        lines.Add($"last checkpoint: step {s.CheckpointStep}" + (s.Recoveries > 0 ? $"; recoveries: {s.Recoveries}" : ""));
        if (s.Notice is not null) lines.Add(s.Notice);
        lines.Add($"bad clips: {s.BadClips}");
        if (s.Error is not null) lines.Add($"error: {s.Error}");
        if (s.StopReason is not null) lines.Add(s.StopReason);
        if (s.GenotypeJson is not null) lines.Add($"genotype: {s.GenotypeJson.ReplaceLineEndings(" ")}");
        lines.Add($"run files: {s.OutputDir}");
        return string.Join('\n', lines);
    }
}
