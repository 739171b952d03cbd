using Spectre.Console;

namespace VideoNas.Client;

/// <summary>
/// Progress of long work: a Spectre.Console bar with elapsed and remaining time where a terminal is attached,
/// and a plain "label: done/total" line every tenth of the way otherwise (CI, logs, pipes).
/// </summary>
public static class ConsoleProgress
{
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, which reports (done, total) as it goes, from any thread, and returns its result.</summary>
    public static T Run<T>(string label, Func<Action<int, int>, T> work)
    {
        if (!Interactive) return work(new PlainLines(label).Report);
        return Bars().Start(ctx =>
        {
            var task = ctx.AddTask(label, autoStart: true, maxValue: 1);
            return work((done, total) =>
            {
                task.MaxValue = Math.Max(1, total);
                task.Value = done;
            });
        });
    }

    public static void Run(string label, Action<Action<int, int>> work) => Run(label, report =>
    {
        work(report);
        return true;
    });

    /// <summary>The bar layout every VideoNas progress display shares.</summary>
    public static Progress Bars() => AnsiConsole.Progress().AutoClear(false).Columns(
        new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
        new ElapsedTimeColumn(), new RemainingTimeColumn());

    private sealed class PlainLines(string label)
    {
        private readonly object _gate = new();
        private int _lastTenth = -1;

        public void Report(int done, int total)
        {
            lock (_gate)
            {
                int tenth = done * 10 / Math.Max(1, total);
                if (tenth == _lastTenth && done != total) return;
                _lastTenth = tenth;
                Console.WriteLine($"{label}: {done}/{total}");
            }
        }
    }
}
