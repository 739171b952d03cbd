using System.Text.Json;
using VideoNas.Nas;
using VideoNas.Nas.Numerics;

// videonas-kernel-probe REPORT.json [NAME-PART]: the float64 self-check (only the checks whose names contain
// NAME-PART, if given) under the route named by VIDEONAS_ONEDNN_ISA, written to REPORT.json; exit 0 if every
// check passed, 1 if one failed, 2 on wrong arguments.
if (args.Length is not (1 or 2))
{
    Console.Error.WriteLine($"usage: {KernelProbeProcess.ProgramName} REPORT.json [NAME-PART] (the route comes from {KernelRouting.RouteVariable})");
    return 2;
}
TorchRuntime.Initialize();
var report = KernelSelfCheck.Run(KernelCatalogue.Matching(args.Length == 2 ? args[1] : null));
File.WriteAllText(args[0], JsonSerializer.Serialize(report, VideoNas.Core.JsonFormats.Output));
return report.Passed ? 0 : 1;
