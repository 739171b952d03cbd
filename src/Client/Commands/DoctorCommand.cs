using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Core.Diagnostics;
using VideoNas.Nas.Numerics;

namespace VideoNas.Client.Commands;

public static class DoctorCommand
{
    private const string Description = """
        Checks this machine: every operation against float64, the kernel route in force, libraries, tools.

        Checks this machine for what the embedded default needs, one line per check (PASS, WARN, FAIL):
        the CPU's vector extensions; the libtorch and TorchSharp versions with the kernels they use (ATen's
        ISA, oneDNN's version and the ISA it dispatches to); the kernel route in force (native, an ISA cap,
        or off) and why; a self-check of every operation the CLI can build, float32 against float64 on the
        same inputs, naming any that is wrong; and ffmpeg, ffprobe, graphviz's dot and redis-server.
        Exit 0 when everything the demo, search and train need passes (dot and redis-server are optional), else 1.

        The route is chosen once per CPU and libtorch build by probing, fastest first, and cached; set
        VIDEONAS_ONEDNN_ISA (native, off, AVX2, SSE41, …) to override it. See docs/numerics.md.
        """;

    public static Command Create()
    {
        var json = CliOptions.Json("the same as JSON: {\"passed\": …, \"checks\": [{\"name\", \"status\", \"detail\", \"required\"}]}");
        var recheck = new Option<bool>("--recheck") { Description = "forget the cached verdict and probe the routes again (new processes use the result)" };
        var only = new Option<string?>("--checks")
        {
            Description = "run only the kernel checks whose names contain TEXT (any case), e.g. conv_1x3x3, p3d or \"stride 2x2x2\"", HelpName = "TEXT",
        };
        var command = new Command("doctor", Description) { json, recheck, only };
        command.SetAction(r => Run(r.GetValue(json), r.GetValue(recheck), r.GetValue(only)));
        return command;
    }

    private static readonly JsonSerializerOptions Json = new(Core.JsonFormats.Output) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    private static int Run(bool json, bool recheck, string? only)
    {
        IReadOnlyList<KernelCheck> checks;
        try
        {
            checks = KernelCatalogue.Matching(only);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--checks: {e.Message}");
        }
        if (recheck)
        {
            var verdict = KernelRouting.Reprobe(Console.Error.WriteLine);
            Console.Error.WriteLine($"re-probed: new processes use the {verdict.Route} route{(verdict.Verified ? "" : " (unverified: no route passed)")}");
        }
        Console.Error.WriteLine($"running the kernel self-check (float32 against float64), {checks.Count} checks…");
        var times = new List<(string Name, TimeSpan Took)>();
        var kernels = KernelSelfCheck.Run(checks, progress: (i, n, result, took) =>
        {
            times.Add((result.Name, took));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{i}/{n}] {(result.Passed ? "ok" : "FAILED")} {result.Name} ({took.TotalSeconds:F2} s)"));
        });
        // What takes the time: on a loaded machine a few large shapes dominate.
        var slowest = times.OrderByDescending(t => t.Took).Take(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Took.TotalSeconds:F1} s"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"self-check: {kernels.Checks.Count} checks in {kernels.Seconds:F1} s; slowest: {string.Join(", ", slowest)}"));
        var report = Build(kernels);
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { passed = report.Passed, checks = report.Checks }, Json));
        else Print(report);
        return report.Passed ? 0 : 1;
    }

    public static DoctorReport Build(KernelReport kernels) => new([.. KernelDiagnosis.Checks(kernels), .. ExternalTools.Check()]);

    private static void Print(DoctorReport report)
    {
        foreach (var c in report.Checks)
        {
            string tag = c.Status switch { DoctorStatus.Pass => "PASS", DoctorStatus.Warn => "WARN", _ => "FAIL" };
            Console.WriteLine($"{tag} {c.Name}: {c.Detail}");
        }
        Console.WriteLine(report.Passed ? "everything the embedded default needs is in order"
            : "something the embedded default needs failed; see the FAIL lines");
    }
}
