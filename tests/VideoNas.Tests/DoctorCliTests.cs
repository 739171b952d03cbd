using System.Text.Json.Nodes;

namespace VideoNas.Tests;

/// <summary><c>videonas doctor</c> as a user runs it.</summary>
public class DoctorCliTests
{
    [Fact]
    public void OnAHealthyMachineDoctorPassesAndSaysWhatIsInForce()
    {
        var r = CliProcess.Run("doctor", "--json");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.True((bool)report["passed"]!);
        var checks = report["checks"]!.AsArray().Select(c => (Name: (string)c!["name"]!, Status: (string)c["status"]!, Detail: (string)c["detail"]!)).ToList();
        Assert.Contains(checks, c => c.Name == "kernel route" && c.Status == "pass");
        Assert.Contains(checks, c => c.Name == "kernel self-check" && c.Status == "pass" && c.Detail.Contains("checks against float64"));
        Assert.Contains(checks, c => c.Name == "libraries" && c.Detail.Contains("TorchSharp 0.107") && c.Detail.Contains("libtorch-cpu-linux-x64 2.10.0"));
        Assert.Contains(checks, c => c.Name == "ffmpeg" && c.Status == "pass");
        Assert.DoesNotContain(checks, c => c.Status == "fail");
    }

    [Fact]
    public void ARouteOverrideIsShownAndAnUnknownOneIsRefused()
    {
        var off = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_ONEDNN_ISA"] = "off" }, "doctor");
        Assert.True(off.ExitCode == 0, off.Stdout + off.Stderr);
        Assert.Contains("PASS kernel route: off (set by VIDEONAS_ONEDNN_ISA)", off.Stdout);
        Assert.Contains("oneDNN not used for convolutions", off.Stdout);

        var bogus = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_ONEDNN_ISA"] = "avx9000" }, "doctor");
        Assert.Equal(1, bogus.ExitCode);
        Assert.StartsWith("error: VIDEONAS_ONEDNN_ISA: \"avx9000\" is not a kernel route", bogus.Stderr);
    }
}
