using System.Globalization;
using System.Numerics;

namespace VideoNas.Client.Cli;

/// <summary>Options several commands share, so each reads and documents them alike.</summary>
public static class CliOptions
{
    public static Option<string> State() => new("--state")
    {
        Description = "folder for grain state, default datasets and runs", DefaultValueFactory = _ => ".videonas", HelpName = "DIR",
    };

    public static Option<string?> Data(string description = "a dataset (UCF101, rawframes or class folders); default: a synthetic one written under --state") =>
        new("--data") { Description = description, HelpName = "DIR" };

    public static Option<string?> Config(string description) => new("--config") { Description = description, HelpName = "FILE" };

    public static Option<string?> Out(string description) => new("--out") { Description = description, HelpName = "DIR" };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<int> Split() => new("--split")
    {
        Description = "which of the three train/test splits", DefaultValueFactory = _ => 1, HelpName = "1|2|3",
    };

    public static Option<int> SplitSeed() => new("--split-seed")
    {
        Description = "for plain class folders: the seed that forms the three group-aware folds", DefaultValueFactory = _ => 0, HelpName = "S",
    };

    /// <summary>An integer option with a default, shown in help.</summary>
    public static Option<int> Number(string name, int fallback, string description, string helpName = "N") =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback, HelpName = helpName };

    public static Option<int> Threads(string description = "libtorch threads (0: libtorch's default)") => Number("--threads", 0, description);

    /// <summary>Limits libtorch to the --threads value, when one is given.</summary>
    public static void ApplyThreads(int threads)
    {
        if (threads is < 0 or > 1024) throw new UsageException($"--threads must be between 0 and 1024, got {threads}");
        if (threads > 0) Nas.TorchRuntime.LimitThreads(threads);
    }

    /// <summary>An option that overrides a config field only when it is given (no default of its own).</summary>
    public static Option<T?> Override<T>(string name, string description, string helpName = "N") where T : struct =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>Refuses, at parse time (exit 2), a value outside [<paramref name="min"/>, <paramref name="max"/>], naming the option and the range.</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max) where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not a number at all: the parser already says so
            }
            // NaN is in no range: every comparison with it is false.
            if (!(value >= min && value <= max))
                result.AddError(string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and {2}, got {3}", option.Name, min, max, value));
        });
        return option;
    }

    /// <summary>A value of the command line, parsed: a bad one is misuse (exit 2, <see cref="UsageException"/>), not a failed run.</summary>
    public static T AsUsage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The file's text, or a usage error naming it.</summary>
    public static string ReadConfig(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"{path}: no such config file");
}
