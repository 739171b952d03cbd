using VideoNas.Client.Commands;
using VideoNas.Client.Commands.Experiment;
using VideoNas.Core;

namespace VideoNas.Client.Cli;

/// <summary>
/// The <c>videonas</c> command tree. Help, completions and parse errors come from System.CommandLine; exit
/// codes are 0 done, 1 failed (a bad file, a diverged run), 2 misused (an unknown or
/// missing option, a bad value) or missing a program it needs (ffmpeg, ffprobe), 130 cancelled.
/// </summary>
public static partial class CliApp
{
    public const int Usage = 2;
    public const int Cancelled = 130;

    public static RootCommand Build()
    {
        var root = new RootCommand("""
            videonas: neural architecture search for video action recognition (DARTS over pseudo-3D operations,
            TSN segments), in one process or on an Orleans cluster. `videonas <command> --help` explains each.
            From a source checkout: dotnet run --project src/Client -- <command> [options]
            """)
        {
            DemoCommand.Create(), DoctorCommand.Create(),
            SubmitCommand.Create(), StatusCommand.Create(), CancelCommand.Create(), DeleteCommand.Trial(), ExperimentCommand.Create(),
            GenotypeCommand.Create(), DatasetCommand.Create(), TrainCommand.Create(), EvaluateCommand.Create(), GroundTruthCommand.Create(), ModelCommand.Create(), ReportCommand.Create(),
            BenchCommand.Create(),
        };
        CommandListHelp.Install(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // No command at all: the command list, as misuse.
        if (args.Length == 0)
        {
            await Build().Parse(["--help"]).InvokeAsync();
            return Usage;
        }
        var parsed = Build().Parse(args);
        // --help answers even when a required option is missing.
        if (parsed.Errors.Count > 0 && parsed.Action is not CommandListHelp)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {InProjectWords(error.Message)}");
            Console.Error.WriteLine($"run `{CommandListHelp.PathOf(parsed.CommandResult.Command)} --help` for its options");
            return Usage;
        }
        try
        {
            // Commands handle Ctrl+C themselves (demo cancels its trial after the step in flight).
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception thrown)
        {
            return Report(thrown);
        }
    }

    /// <summary>System.CommandLine names the CLR type a value did not parse as; say what the option takes instead.</summary>
    public static string InProjectWords(string parseError) => UnparsedValue().Replace(parseError,
        m => $"{m.Groups[2].Value}: \"{m.Groups[1].Value}\" is not {ConfigJson.KindOf(m.Groups[3].Value)}");

    [System.Text.RegularExpressions.GeneratedRegex(@"Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.")]
    private static partial System.Text.RegularExpressions.Regex UnparsedValue();

    /// <summary>Prints what went wrong in one line and returns the exit code; unexpected faults keep their stack trace.</summary>
    private static int Report(Exception thrown)
    {
        // Parallel loops wrap what their workers threw, and libtorch's start-up (a bad VIDEONAS_ONEDNN_ISA, say)
        // reaches us inside a type initializer's exception; report the first cause, once.
        var e = thrown is AggregateException a ? a.Flatten().InnerExceptions[0] : thrown;
        while (e is TypeInitializationException { InnerException: { } inner }) e = inner;
        switch (e)
        {
            // A config's bad field is a bad value, as a bad option is.
            case OperationCanceledException:
                Console.Error.WriteLine("cancelled");
                return Cancelled;
            case UsageException or ExternalToolException or ConfigException:
                Console.Error.WriteLine($"error: {e.Message}");
                return Usage;
            // ArithmeticException: a loss or gradient went non-finite, or this CPU's kernels compute wrong numbers.
            case FormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or IOException or InvalidDataException
                or ArithmeticException:
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
                return 1;
        }
    }
}

/// <summary>The command line asks for something that cannot be (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
