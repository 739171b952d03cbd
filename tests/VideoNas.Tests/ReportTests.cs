using System.Text.Json;
using VideoNas.Core;
using VideoNas.Core.Reporting;
using VideoNas.Core.Training;

namespace VideoNas.Tests;

public class ReportTests
{
    private static string WriteRun(string root, TrainResult r)
    {
        string dir = Path.Combine(root, r.Model);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "result.json"), JsonSerializer.Serialize(r, SearchConfig.Json));
        return dir;
    }

    [Fact]
    public void ReportWritesATableRelativeToTheSmallestBaselineAndAPngPlot()
    {
        using var rootFolder = new TempFolder("videonas-report-");
        string root = rootFolder.Path;
        var runs = new[]
        {
            WriteRun(root, new TrainResult("r3d18", 4_000_000, 2_000_000_000, 0.5, 0.55, 40, 0, [])),
            WriteRun(root, new TrainResult("searched", 50_000, 100_000_000, 0.8, 0.875, 40, 0, [new EpochReport(1, 1.2, 0.4, 0.025)])),
            WriteRun(root, new TrainResult("c3d", 2_000_000, 3_000_000_000, 0.4, 0.425, 40, 0, [])),
        };
        string outDir = Path.Combine(root, "report");
        // With nothing on PATH but dotnet: the plot needs no external program (gnuplot was one).
        string bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        string dotnet = new FileInfo(Environment.ProcessPath!).ResolveLinkTarget(true)?.FullName ?? Environment.ProcessPath!;
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), dotnet);
        var r = CliProcess.RunWith(new Dictionary<string, string> { ["PATH"] = bin }, ["report", .. runs, "--out", outDir]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        var rows = File.ReadAllLines(Path.Combine(outDir, "report.md")).Skip(2).ToArray();
        Assert.Equal(3, rows.Length);
        // Sorted by parameters; 50,000 / 2,000,000 = 2.50 % of the smallest baseline (c3d).
        Assert.Equal("| searched | 50,000 | 0.100 | 80.0% | 87.5% | 2.50% |", rows[0].Replace(" %", "%"));
        Assert.StartsWith("| c3d | 2,000,000 | 3.000 |", rows[1]);
        Assert.EndsWith("| 200.00% |", rows[2].Replace(" %", "%"));

        var png = File.ReadAllBytes(Path.Combine(outDir, "accuracy_vs_params.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 2000);
    }

    [Fact]
    public void AFolderWithoutAResultIsNamed()
    {
        using var dirFolder = new TempFolder("videonas-report-");
        string dir = dirFolder.Path;
        var e = Assert.Throws<FileNotFoundException>(() => ComparisonReport.ReadResult(dir));
        Assert.Contains(Path.Combine(dir, "result.json"), e.Message);
    }

    [Fact]
    public void AnIncompleteResultIsRefusedByNameWithoutAPlot()
    {
        using var rootFolder = new TempFolder("videonas-report-");
        string good = WriteRun(rootFolder.Path, new TrainResult("c3d", 2_000_000, 3_000_000_000, 0.4, 0.425, 40, 0, []));
        string cut = Path.Combine(rootFolder.Path, "cut");
        Directory.CreateDirectory(cut);
        // What a training cut short or a hand-written file leaves: a model name and nothing measured.
        File.WriteAllText(Path.Combine(cut, "result.json"), """{"model": "searched", "clip_accuracy": 0.5}""");
        string outDir = Path.Combine(rootFolder.Path, "report");

        var r = CliProcess.Run(["report", good, cut, "--out", outDir]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(cut, "result.json"), r.Stderr);
        Assert.Contains("\"params\" is 0", r.Stderr);
        Assert.False(File.Exists(Path.Combine(outDir, "accuracy_vs_params.png")));
    }

    [Theory]
    [InlineData(1.5, 0.5, "\"clip_accuracy\" is 1.5")]
    [InlineData(0.5, -0.1, "\"video_accuracy\" is -0.1")]
    public void AnAccuracyOutsideZeroToOneIsRefused(double clip, double video, string expected)
    {
        using var rootFolder = new TempFolder("videonas-report-");
        string dir = WriteRun(rootFolder.Path, new TrainResult("p3d", 1000, 1000, clip, video, 10, 0, []));
        var e = Assert.Throws<ConfigException>(() => ComparisonReport.ReadResult(dir));
        Assert.Contains(expected, e.Message);
    }
}
