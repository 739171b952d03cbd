namespace VideoNas.Client;

/// <summary>A "label: done/total" progress line that rewrites itself on a terminal and prints sparsely otherwise.</summary>
public sealed class ProgressLine(string label)
{
    private readonly object _gate = new();
    private int _lastPrinted = -1;

    public void Report(int done, int total)
    {
        lock (_gate)
        {
            if (!Console.IsOutputRedirected) Console.Write($"\r{label}: {done}/{total}");
            else if (done == total || done * 10 / total != _lastPrinted * 10 / Math.Max(1, total))
                Console.WriteLine($"{label}: {done}/{total}");
            _lastPrinted = done;
        }
    }

    public void Done()
    {
        if (!Console.IsOutputRedirected) Console.WriteLine();
    }
}
