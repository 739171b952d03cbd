using System.Text.Json;
using VideoNas.Core.Diagnostics;

namespace VideoNas.Nas.Numerics;

/// <summary>What <c>videonas doctor</c> reports about the tensor side: the CPU, the libraries, the route and the self-check.</summary>
public static class KernelDiagnosis
{
    /// <param name="report">The self-check just run in this process, under the route in force.</param>
    public static IReadOnlyList<DoctorCheck> Checks(KernelReport report)
    {
        var kernels = TorchRuntime.Kernels;
        var cpu = CpuIdentity.Current();
        var chosen = kernels.Verdict?.Tried.FirstOrDefault(t => t.Route == kernels.Route.Name);
        string oneDnn = kernels.Route.Name == KernelRoute.OffName ? "not used for convolutions (route off)"
            : chosen?.OneDnnIsa is { } isa ? $"{chosen.OneDnnVersion} dispatching to {isa}"
            : $"enabled; ISA cap {Environment.GetEnvironmentVariable(KernelRoute.OneDnnIsaVariable) ?? "none"}";
        var checks = new List<DoctorCheck>
        {
            Info("cpu", $"{cpu.Model}; {string.Join(' ', cpu.VectorFlags)}"),
            Info("libraries", $"{LibTorchVersion()}, TorchSharp {TorchSharpVersion()}; ATen kernels {LibTorchSwitches.AtenCpuCapability()}; oneDNN {oneDnn}"),
            new("kernel route", kernels.KnownBroken || kernels.Source == KernelRouteSource.Unverified ? DoctorStatus.Fail : DoctorStatus.Pass,
                kernels.Describe() + Ladder(kernels.Verdict), Required: true),
        };
        checks.AddRange(report.Checks.Where(c => !c.Passed).Select(c => new DoctorCheck($"kernel {c.Name}", DoctorStatus.Fail, c.Problem!, Required: true)));
        var worst = report.Checks.Where(c => c.Passed).MaxBy(c => c.WorstError);
        if (report.Passed)
            checks.Add(new DoctorCheck("kernel self-check", DoctorStatus.Pass,
                $"{report.Checks.Count} checks against float64 in {report.Seconds:0.0} s; worst relative error {worst?.WorstError:0.0e+0} ({worst?.Name}), bound {KernelCheckRunner.DefaultTolerance:0e+0}", Required: true));
        return checks;
    }

    private static DoctorCheck Info(string name, string detail) => new(name, DoctorStatus.Pass, detail, Required: false);

    private static string Ladder(KernelVerdict? verdict) => verdict is null || verdict.Tried.Count < 2 ? ""
        : "; tried " + string.Join(", ", verdict.Tried.Select(t => $"{t.Route} {(t.Passed ? "passed" : $"failed ({(t.Failures.Count > 0 ? t.Failures[0] : "")})")}"));

    public static string TorchSharpVersion() =>
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The libtorch package this program was built against, as its deps file lists it.</summary>
    public static string LibTorchVersion()
    {
        foreach (var deps in (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!File.Exists(deps)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(deps));
            if (!doc.RootElement.TryGetProperty("libraries", out var libraries)) continue;
            foreach (var library in libraries.EnumerateObject())
                if (library.Name.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase) || library.Name.StartsWith("TorchSharp-cuda", StringComparison.OrdinalIgnoreCase))
                    return library.Name.Replace('/', ' ');
        }
        return "unknown";
    }
}
