using System.Globalization;
using Spectre.Console;
using VideoNas.Grains;

namespace VideoNas.Client;

/// <summary>
/// Polls a trial until it ends: a progress bar of its steps with the latest losses where a terminal is
/// attached, one line per step otherwise; each finished epoch and each change of state as a line either way.
/// </summary>
public static class TrialProgressPrinter
{
    /// <summary>
    /// Follows the trial to its end. When <paramref name="interrupted"/> fires, asks the coordinator to
    /// cancel (the step in flight finishes; finished epochs' files stay) and returns the final status.
    /// </summary>
    public static Task<TrialStatus> FollowAsync(ITrialCoordinatorGrain trial, TrialStatus status, CancellationToken interrupted) =>
        ConsoleProgress.Interactive
            ? ConsoleProgress.Bars().StartAsync(ctx => Poll(trial, status, new BarView(ctx.AddTask(Markup.Escape($"trial {status.TrialId}"), true, 1)), interrupted))
            : Poll(trial, status, new LineView(), interrupted);

    private static async Task<TrialStatus> Poll(ITrialCoordinatorGrain trial, TrialStatus status, IView view, CancellationToken interrupted)
    {
        int lastStep = -1, lastEpoch = 0;
        var lastState = status.State;
        while (!status.State.IsTerminal())
        {
            if (interrupted.IsCancellationRequested)
            {
                Console.Error.WriteLine($"interrupted: cancelling trial {status.TrialId} after the step in flight");
                return await trial.Cancel();
            }
            await Task.Delay(250, CancellationToken.None);
            status = await trial.GetStatus();
            if (status.Step != lastStep && status.Train is not null)
            {
                view.Step(status);
                lastStep = status.Step;
            }
            else if (status.State != lastState)
            {
                view.Line($"trial {status.TrialId}: {status.State}");
            }
            foreach (var epoch in status.History.Where(h => h.Epoch > lastEpoch))
                view.Line(FormatEpoch(epoch, status.Epochs));
            lastEpoch = status.History.Count > 0 ? status.History[^1].Epoch : lastEpoch;
            lastState = status.State;
        }
        return status;
    }

    private interface IView
    {
        void Step(TrialStatus status);
        void Line(string text);
    }

    private sealed class LineView : IView
    {
        public void Step(TrialStatus status) => Console.WriteLine(Format(status));
        public void Line(string text) => Console.WriteLine(text);
    }

    /// <summary>The bar shows steps done; its label the epoch and the latest losses. Lines print above it.</summary>
    private sealed class BarView(ProgressTask task) : IView
    {
        public void Step(TrialStatus s)
        {
            var c = CultureInfo.InvariantCulture;
            task.MaxValue = Math.Max(1, s.TotalSteps);
            task.Value = s.Step;
            string arch = s.Arch is null ? "none (warm-up or single path)" : string.Format(c, "{0:F3}", s.Arch.Loss);
            task.Description = Markup.Escape(string.Format(c, "{0} epoch {1}/{2}  w-split loss {3:F3} | α-split loss {4}",
                s.TrialId, EpochOf(s), s.Epochs, s.Train!.Loss, arch));
        }

        public void Line(string text) => AnsiConsole.WriteLine(text);
    }

    private static int EpochOf(TrialStatus s) => s.StepsPerEpoch == 0 ? 1 : (s.Step - 1) / s.StepsPerEpoch + 1;

    public static string Format(TrialStatus s)
    {
        var c = CultureInfo.InvariantCulture;
        string arch = s.Arch is null ? "α: no step (warm-up or single path)" : string.Format(c, "α-split loss {0:F3} acc {1:P0}", s.Arch.Loss, s.Arch.Accuracy);
        return string.Format(c, "  epoch {0}/{1} step {2}/{3}  w-split loss {4:F3} acc {5:P0} | {6}",
            EpochOf(s), s.Epochs, s.Step, s.TotalSteps, s.Train!.Loss, s.Train.Accuracy, arch);
    }

    public static string FormatEpoch(EpochSummary e, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        string arch = e.Arch is null ? "" : string.Format(c, " | α-split mean loss {0:F3} acc {1:P0}", e.Arch.Loss, e.Arch.Accuracy);
        return string.Format(c, "epoch {0}/{1} done: w-split mean loss {2:F3} acc {3:P0}{4}", e.Epoch, epochs, e.Train.Loss, e.Train.Accuracy, arch);
    }
}
