namespace VideoNas.Client;

/// <summary>
/// A small, strict parser: <c>--name value</c> options, <c>--flag</c> switches and positionals.
/// Unknown options are refused by name, so a typo never silently falls back to a default.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                Positionals.Add(a);
                continue;
            }
            string name = a[2..];
            if (flags.Contains(name)) _options[name] = null;
            else if (e.MoveNext()) _options[name] = e.Current;
            else throw new UsageException($"option --{name} needs a value");
        }
    }

    public bool Help => Flag("help");

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? Get(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public string Get(string name, string fallback) => Get(name) ?? fallback;

    public int GetInt(string name, int fallback) => Get(name) is { } v
        ? int.TryParse(v, out int i) ? i : throw new UsageException($"--{name} must be an integer, got \"{v}\"")
        : fallback;

    public double GetDouble(string name, double fallback) => Get(name) is { } v
        ? double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d)
            ? d : throw new UsageException($"--{name} must be a number, got \"{v}\"")
        : fallback;

    public string Require(string name) => Get(name) ?? throw new UsageException($"missing required option --{name}");

    /// <summary>Call after reading every option a command knows.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option --{unknown[0]}");
    }
}

public sealed class UsageException(string message) : Exception(message);
