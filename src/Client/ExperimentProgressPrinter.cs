using System.Globalization;
using Spectre.Console;
using VideoNas.Grains;

namespace VideoNas.Client;

/// <summary>
/// Follows an experiment to its end: a live table, one row per seed (state, epoch, step, losses, accuracy,
/// silos, why it waits), where a terminal is attached; otherwise a line whenever a seed changes state or
/// finishes an epoch, and whenever what a waiting seed waits for changes.
/// </summary>
public static class ExperimentProgressPrinter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>When <paramref name="interrupted"/> fires, cancels the experiment (each trial after its step in flight) and returns its final status.</summary>
    /// <param name="json">JSON Lines instead: the status as <c>experiment status --json</c> prints it, whenever it changed, the last line final</param>
    public static async Task<ExperimentStatus> FollowAsync(IExperimentGrain experiment, ExperimentStatus status, CancellationToken interrupted, bool json = false)
    {
        if (json) return await Poll(experiment, status, new JsonLinePrinter().Print, interrupted);
        if (!ConsoleProgress.Interactive) return await Poll(experiment, status, new LinePrinter().Print, interrupted);
        var table = Table(status);
        ExperimentStatus last = status;
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            last = await Poll(experiment, status, s =>
            {
                Fill(table, s);
                ctx.Refresh();
            }, interrupted);
        });
        return last;
    }

    private static async Task<ExperimentStatus> Poll(IExperimentGrain experiment, ExperimentStatus status, Action<ExperimentStatus> show, CancellationToken interrupted)
    {
        show(status);
        while (!status.State.IsTerminal())
        {
            if (interrupted.IsCancellationRequested)
            {
                Console.Error.WriteLine($"interrupted: cancelling experiment {status.ExperimentId} (each trial after its step in flight)");
                return await experiment.Cancel();
            }
            await Task.Delay(500, CancellationToken.None);
            status = await experiment.GetStatus();
            show(status);
        }
        return status;
    }

    /// <summary>The experiment as a table, as <c>experiment status</c> prints it.</summary>
    public static Table Table(ExperimentStatus status)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "seed", "state", "epoch", "step", "w loss", "α loss", "α acc", "silo(s)", "note" }) table.AddColumn(column);
        Fill(table, status);
        return table;
    }

    private static void Fill(Table table, ExperimentStatus status)
    {
        table.Rows.Clear();
        table.Title = new TableTitle(Markup.Escape($"experiment {status.ExperimentId}: {status.State}"));
        foreach (var t in status.Trials) table.AddRow(Row(t).Select(Markup.Escape).ToArray());
    }

    private static string[] Row(ExperimentTrial t)
    {
        var s = t.Status;
        return
        [
            t.Seed.ToString(C), t.State.ToString(),
            s is null ? "" : $"{s.Epoch}/{s.Epochs}", s is null ? "" : $"{s.Step}/{s.TotalSteps}",
            Number(s?.Train?.Loss), Number(s?.Arch?.Loss), s?.Arch is { } a ? a.Accuracy.ToString("P0", C) : "",
            s is null ? "" : string.Join(", ", s.Shards.Select(x => x.Silo).Distinct()),
            Note(t),
        ];
    }

    /// <summary>Why the seed waits, why it stopped, or how it failed.</summary>
    public static string Note(ExperimentTrial t) => t.Waiting ?? t.Status?.Error ?? (t.State == TrialState.Stopped ? t.Status?.StopReason : null) ?? "";

    private static string Number(double? v) => v is { } x ? x.ToString("F3", C) : "";

    /// <summary>One JSON line per status that differs from the one before.</summary>
    private sealed class JsonLinePrinter
    {
        private string? _last;

        public void Print(ExperimentStatus status)
        {
            string line = ExperimentStatusJson.OneLine(status);
            if (line == _last) return;
            Console.WriteLine(_last = line);
        }
    }

    /// <summary>Plain lines for logs and pipes: only what changed.</summary>
    private sealed class LinePrinter
    {
        private readonly Dictionary<long, (TrialState State, int Epoch, string Note)> _seen = [];
        private TrialState? _state;

        public void Print(ExperimentStatus status)
        {
            foreach (var t in status.Trials)
            {
                int epoch = t.Status?.Epoch ?? 0;
                string note = Note(t);
                if (_seen.TryGetValue(t.Seed, out var before) && before == (t.State, epoch, note)) continue;
                _seen[t.Seed] = (t.State, epoch, note);
                string progress = epoch > 0 && t.Status!.History.Count > 0 && t.Status.History[^1] is var e ? " " + TrialProgressPrinter.FormatEpoch(e, t.Status.Epochs) : "";
                Console.WriteLine($"seed {t.Seed} ({t.TrialId}): {t.State}{progress}{(note.Length > 0 ? $" ({note})" : "")}");
            }
            if (_state == status.State) return;
            _state = status.State;
            Console.WriteLine($"experiment {status.ExperimentId}: {status.State}");
        }
    }
}
