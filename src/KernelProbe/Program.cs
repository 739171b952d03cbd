using System.Text.Json;
using VideoNas.Nas;
using VideoNas.Nas.Numerics;

// videonas-kernel-probe REPORT.json: the float64 self-check under the route named by VIDEONAS_ONEDNN_ISA,
// written to REPORT.json; exit 0 if every check passed, 1 if one failed, 2 on wrong arguments.
if (args.Length != 1)
{
    Console.Error.WriteLine($"usage: {KernelProbeProcess.ProgramName} REPORT.json (the route comes from {KernelRouting.RouteVariable})");
    return 2;
}
TorchRuntime.Initialize();
var report = KernelSelfCheck.Run();
File.WriteAllText(args[0], JsonSerializer.Serialize(report, VideoNas.Core.JsonFormats.Output));
return report.Passed ? 0 : 1;
