using System.Text.Json;
using VideoNas.Nas;
using VideoNas.Nas.Numerics;

// videonas-kernel-probe REPORT.json [--until-failure] [NAME-PART]: the float64 self-check (only the checks whose
// names contain NAME-PART, if given; stopping at the first failure with --until-failure) under the route named by
// VIDEONAS_ONEDNN_ISA, written to REPORT.json; exit 0 if every check passed, 1 if one failed, 2 on wrong arguments.
bool untilFailure = args.Contains(KernelProbeProcess.UntilFailure);
string[] rest = [.. args.Where(a => a != KernelProbeProcess.UntilFailure)];
if (rest.Length is not (1 or 2))
{
    Console.Error.WriteLine($"usage: {KernelProbeProcess.ProgramName} REPORT.json [{KernelProbeProcess.UntilFailure}] [NAME-PART] (the route comes from {KernelRouting.RouteVariable})");
    return 2;
}
TorchRuntime.Initialize();
var report = KernelSelfCheck.Run(KernelCatalogue.Matching(rest.Length == 2 ? rest[1] : null), untilFailure);
File.WriteAllText(rest[0], JsonSerializer.Serialize(report, VideoNas.Core.JsonFormats.Output));
return report.Passed ? 0 : 1;
