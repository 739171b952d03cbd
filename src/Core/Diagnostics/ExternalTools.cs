using System.ComponentModel;
using System.Diagnostics;
using VideoNas.Core.Data;

namespace VideoNas.Core.Diagnostics;

/// <summary>The programs VideoNas runs, found by running them.</summary>
public static class ExternalTools
{
    /// <summary>Each tool with what needs it, whether the embedded default does, and how to ask its version.</summary>
    public static IReadOnlyList<(string Executable, string Purpose, bool Required, string VersionArgument, string Package)> Known =>
    [
        (Ffmpeg.Executable, "decodes clips and writes the synthetic dataset", true, "-version", "ffmpeg"),
        (Ffmpeg.ProbeExecutable, "checks datasets and reads clip lengths", true, "-version", "ffmpeg"),
        ("dot", "draws the cell diagrams of experiments (without it they are written as .dot files)", false, "-V", "graphviz"),
        ("redis-server", "cluster mode (membership and grain state) and its tests", false, "--version", "redis-server"),
    ];

    public static IReadOnlyList<DoctorCheck> Check() => Known.Select(t =>
    {
        string? version = VersionLine(t.Executable, t.VersionArgument);
        return version is null
            ? new DoctorCheck(t.Executable, t.Required ? DoctorStatus.Fail : DoctorStatus.Warn,
                $"not found; it {t.Purpose} (Debian: apt-get install {t.Package})", t.Required)
            : new DoctorCheck(t.Executable, DoctorStatus.Pass, version, t.Required);
    }).ToList();

    /// <summary>The first line the program prints for its version, or null if it cannot be run.</summary>
    public static string? VersionLine(string executable, string argument)
    {
        var info = new ProcessStartInfo(executable, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var p = Process.Start(info)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }
            string text = output.Length > 0 ? output : stderr.Result;
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? executable;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
