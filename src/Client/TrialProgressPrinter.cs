using System.Globalization;
using VideoNas.Grains;

namespace VideoNas.Client;

/// <summary>Polls a trial and prints one line per step until it ends.</summary>
public static class TrialProgressPrinter
{
    /// <summary>
    /// Follows the trial to its end. When <paramref name="interrupted"/> fires, asks the coordinator to
    /// cancel (the step in flight finishes; finished epochs' files stay) and returns the final status.
    /// </summary>
    public static async Task<TrialStatus> FollowAsync(ITrialCoordinatorGrain trial, TrialStatus status, CancellationToken interrupted)
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
                Console.WriteLine(Format(status));
                lastStep = status.Step;
            }
            else if (status.State != lastState)
            {
                Console.WriteLine($"trial {status.TrialId}: {status.State}");
            }
            foreach (var epoch in status.History.Where(h => h.Epoch > lastEpoch))
                Console.WriteLine(FormatEpoch(epoch, status.Epochs));
            lastEpoch = status.History.Count > 0 ? status.History[^1].Epoch : lastEpoch;
            lastState = status.State;
        }
        return status;
    }

    public static string Format(TrialStatus s)
    {
        var c = CultureInfo.InvariantCulture;
        string arch = s.Arch is null ? "α: (warm-up)" : string.Format(c, "α-split loss {0:F3} acc {1:P0}", s.Arch.Loss, s.Arch.Accuracy);
        int epoch = s.StepsPerEpoch == 0 ? 1 : (s.Step - 1) / s.StepsPerEpoch + 1;
        return string.Format(c, "  epoch {0}/{1} step {2}/{3}  w-split loss {4:F3} acc {5:P0} | {6}",
            epoch, s.Epochs, s.Step, s.TotalSteps, s.Train!.Loss, s.Train.Accuracy, arch);
    }

    public static string FormatEpoch(EpochSummary e, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        string arch = e.Arch is null ? "" : string.Format(c, " | α-split mean loss {0:F3} acc {1:P0}", e.Arch.Loss, e.Arch.Accuracy);
        return string.Format(c, "epoch {0}/{1} done: w-split mean loss {2:F3} acc {3:P0}{4}", e.Epoch, epochs, e.Train.Loss, e.Train.Accuracy, arch);
    }
}
