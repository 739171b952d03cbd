using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace VideoNas.Nas.Numerics;

/// <summary>
/// Runs the kernel self-check under one route in a child process (<c>videonas-kernel-probe</c>, built beside
/// every VideoNas program), since oneDNN's ISA can be chosen only once per process. The child's oneDNN
/// reports the ISA it dispatched to (ONEDNN_VERBOSE), so the verdict records what really ran.
/// </summary>
public sealed class KernelProbeProcess
{
    public const string ProgramName = "videonas-kernel-probe";
    public const string UntilFailure = "--until-failure";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _muxer;
    private readonly string _program;

    private KernelProbeProcess(string muxer, string program) => (_muxer, _program) = (muxer, program);

    /// <summary>The probe beside this process's program, or why there is none.</summary>
    public static KernelProbeProcess? Locate(out string? whyNot)
    {
        string program = Path.Combine(AppContext.BaseDirectory, ProgramName + ".dll");
        if (!File.Exists(program))
        {
            whyNot = $"{program} is missing, so the kernels cannot be checked";
            return null;
        }
        whyNot = null;
        return new KernelProbeProcess(Muxer(), program);
    }

    /// <param name="only">Runs only the checks whose names contain this; all when null.</param>
    /// <param name="untilFailure">Stops at the first failing check (a route is rejected as soon as one fails).</param>
    public RouteTrial Run(KernelRoute route, string? only = null, bool untilFailure = false)
    {
        string reportFile = Path.Combine(Path.GetTempPath(), $"videonas-kernel-probe-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo(_muxer) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_program);
        info.ArgumentList.Add(reportFile);
        if (untilFailure) info.ArgumentList.Add(UntilFailure);
        if (only is not null) info.ArgumentList.Add(only);
        info.Environment[KernelRouting.RouteVariable] = route.Name;
        info.Environment.Remove(KernelRoute.OneDnnIsaVariable);
        info.Environment["ONEDNN_VERBOSE"] = "dispatch";
        var watch = Stopwatch.StartNew();
        try
        {
            using var child = Process.Start(info)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(Timeout))
            {
                child.Kill(entireProcessTree: true);
                return Failed(route, watch, $"the probe did not finish in {Timeout.TotalMinutes:0} minutes");
            }
            var (isa, version) = OneDnnInfo(stdout.Result);
            if (!File.Exists(reportFile))
                return Failed(route, watch, $"the probe exited with code {child.ExitCode} without a report: {LastLine(stderr.Result)}") with { OneDnnIsa = isa };
            var report = JsonSerializer.Deserialize<KernelReport>(File.ReadAllText(reportFile), Core.JsonFormats.Output)!;
            return new RouteTrial(route.Name, report.Passed, watch.Elapsed.TotalSeconds,
                report.Failures.Select(f => f.Describe()).ToList(), isa, version);
        }
        finally
        {
            File.Delete(reportFile);
        }
    }

    private static RouteTrial Failed(KernelRoute route, Stopwatch watch, string why) =>
        new(route.Name, false, watch.Elapsed.TotalSeconds, [why], null, null);

    /// <summary>Reads oneDNN's banner: "onednn_verbose,…,info,oneDNN v3.7.1 (…)" and "…,info,cpu,isa:Intel AVX2".</summary>
    public static (string? Isa, string? Version) OneDnnInfo(string verboseOutput)
    {
        string? isa = null, version = null;
        foreach (var line in verboseOutput.Split('\n'))
        {
            if (!line.StartsWith("onednn_verbose", StringComparison.Ordinal)) continue;
            int at = line.IndexOf(",info,cpu,isa:", StringComparison.Ordinal);
            if (at >= 0) isa ??= line[(at + ",info,cpu,isa:".Length)..].Trim();
            at = line.IndexOf(",info,oneDNN ", StringComparison.Ordinal);
            if (at >= 0) version ??= line[(at + ",info,".Length)..].Split(' ', 3)[1];
        }
        return (isa, version);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    /// <summary>The dotnet host: this process if it is one, else the one that owns this runtime.</summary>
    private static string Muxer()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        string besideRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(besideRuntime) ? besideRuntime : "dotnet";
    }
}
