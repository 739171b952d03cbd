namespace VideoNas.Tests;

/// <summary>A decode that never ends (a FIFO, a pathological file) costs one clip, not the run.</summary>
public class DecodeTimeoutTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void AHungFfmpegIsKilledAtTheDeadlineAndItsClipReportedAsBad()
    {
        using var work = new TempFolder("videonas-hang-");
        // An "ffmpeg" that hangs: sleeps far past the deadline.
        string hang = work["ffmpeg"];
        File.WriteAllText(hang, "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(hang, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var started = DateTime.UtcNow;
        var r = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_FFMPEG"] = hang, ["VIDEONAS_DECODE_TIMEOUT"] = "1" },
            "dataset", "extract", "--root", data.Root, "--out", work["frames"]);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1), "the hung decodes were not cut short");
        Assert.Contains("ffmpeg did not finish within 1 s (VIDEONAS_DECODE_TIMEOUT) and was killed", r.Stdout + r.Stderr);
        Assert.NotEqual(0, r.ExitCode);
    }
}
