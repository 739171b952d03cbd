using System.Text.Json.Nodes;

namespace VideoNas.Tests;

/// <summary>
/// <c>videonas doctor</c> as a user runs it, on the checks of the P3D spatial unit (the reported fault);
/// the whole catalogue runs in <see cref="KernelCheckTests"/>.
/// </summary>
public class DoctorCliTests
{
    [Fact]
    public void OnAHealthyMachineDoctorPassesAndSaysWhatIsInForce()
    {
        var r = CliProcess.Run("doctor", "--json", "--checks", "conv_1x3x3");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.True((bool)report["passed"]!);
        var checks = report["checks"]!.AsArray().Select(c => (Name: (string)c!["name"]!, Status: (string)c["status"]!, Detail: (string)c["detail"]!)).ToList();
        Assert.Contains(checks, c => c.Name == "kernel route" && c.Status == "pass");
        Assert.Contains(checks, c => c.Name == "kernel self-check" && c.Status == "pass" && c.Detail.StartsWith("8 checks against float64", StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Name == "libraries" && c.Detail.Contains("TorchSharp 0.107") && c.Detail.Contains("libtorch-cpu-linux-x64 2.10.0"));
        Assert.Contains(checks, c => c.Name == "ffmpeg" && c.Status == "pass");
        Assert.DoesNotContain(checks, c => c.Status == "fail");

        // Progress on stderr, one line per check as it ends, then what took the time.
        var progress = r.Stderr.Split('\n').Where(l => l.StartsWith('[')).ToList();
        Assert.Equal(8, progress.Count);
        Assert.Matches(@"^\[1/8\] ok conv_1x3x3\S* .*\(\d+\.\d\d s\)$", progress[0]);
        Assert.StartsWith("[8/8] ok ", progress[^1]);
        Assert.Matches(@"self-check: 8 checks in \d+\.\d s; slowest: .+ \d+\.\d s, .+, .+", r.Stderr);
    }

    [Fact]
    public void ARouteOverrideIsShownAndAnUnknownOneIsRefused()
    {
        var off = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_ONEDNN_ISA"] = "off" }, "doctor", "--checks", "conv_1x3x3");
        Assert.True(off.ExitCode == 0, off.Stdout + off.Stderr);
        Assert.Contains("PASS kernel route: off (set by VIDEONAS_ONEDNN_ISA)", off.Stdout);
        Assert.Contains("oneDNN not used for convolutions", off.Stdout);

        var bogus = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_ONEDNN_ISA"] = "avx9000" }, "doctor");
        Assert.Equal(1, bogus.ExitCode);
        Assert.StartsWith("error: VIDEONAS_ONEDNN_ISA: \"avx9000\" is not a kernel route", bogus.Stderr);
    }

    [Fact]
    public void AChecksFilterThatMatchesNothingIsAUsageError()
    {
        var r = CliProcess.Run("doctor", "--checks", "conv_9x9x9");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--checks: no kernel check's name contains \"conv_9x9x9\"", r.Stderr);
    }
}
