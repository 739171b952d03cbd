namespace VideoNas.Client;

/// <summary>The last lines a child process wrote, bounded so a chatty process cannot grow it.</summary>
public sealed class OutputTail(string name, int capacity = 200)
{
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public override string ToString()
    {
        lock (_lines) return $"--- {name}, last {_lines.Count} lines ---\n{string.Join("\n", _lines)}";
    }
}
