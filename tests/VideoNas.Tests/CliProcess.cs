using System.Diagnostics;
using System.Text;

namespace VideoNas.Tests;

/// <summary>Runs the real <c>videonas</c> CLI (built beside the tests) as a separate process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    public static Result RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = Process.Start(Info(environment, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"videonas {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the CLI without waiting for it, for a test that kills it; stdout and stderr drain into the returned log.</summary>
    public static (Process Process, StringBuilder Log) Start(params string[] args)
    {
        var p = Process.Start(Info(new Dictionary<string, string>(), args))!;
        var log = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, log);
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        // Through env: a test run started in the background inherits SIGINT ignored, and the CLI must see Ctrl+C as a user's terminal sends it.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One libtorch thread, as in the test process itself (TorchTestInitializer).
        info.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "videonas.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
