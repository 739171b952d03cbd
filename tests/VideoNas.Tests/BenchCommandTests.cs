using System.Text.Json;

namespace VideoNas.Tests;

/// <summary><c>bench search</c> and <c>bench train</c> as benchmarks/pytorch/compare.py drives them: one JSON line per measured row.</summary>
public class BenchCommandTests
{
    private static IReadOnlyList<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void BenchSearchRunsTheConfigAsGivenAndOnlyAddsAPartialChannelRowForAnotherK()
    {
        using var work = new TempFolder("videonas-bench-");
        File.WriteAllText(work["second.json"], (TinySearch.Network with { SecondOrder = true, BatchSize = 2 }).ToJson());

        var one = CliProcess.Run("bench", "search", "--config", work["second.json"], "--partial-channels", "1", "--steps", "2", "--warmup", "0", "--json");
        Assert.True(one.ExitCode == 0, one.Stderr);
        var row = Assert.Single(JsonLines(one.Stdout));
        Assert.True(row.GetProperty("second_order").GetBoolean());
        Assert.Equal(1, row.GetProperty("partial_channels").GetInt32());
        Assert.True(row.GetProperty("seconds_per_step_median").GetDouble() > 0);
        Assert.True(row.GetProperty("peak_rss_mib").GetDouble() > 50, "the peak is the process's high-water mark, libtorch included");

        var two = CliProcess.Run("bench", "search", "--config", work["second.json"], "--partial-channels", "2", "--steps", "1", "--warmup", "0", "--json");
        Assert.True(two.ExitCode == 0, two.Stderr);
        Assert.Equal([1, 2], JsonLines(two.Stdout).Select(r => r.GetProperty("partial_channels").GetInt32()));
    }

    [Fact]
    public void BenchTrainTimesAGenotypeAndABaselineAndCountsTheirParametersAsModelInfoDoes()
    {
        using var work = new TempFolder("videonas-bench-");
        File.WriteAllText(work["train.json"], """{"batch_size": 2, "segments": 2, "frames_per_segment": 2, "resolution": 16, "channels": 4, "layers": 3}""");
        string genotype = Path.Combine(DeployFiles.Root, "docs", "results", "evaluation-p3d", "genotypes", "searched_s2.json");
        foreach (var which in new[] { new[] { "--genotype", genotype }, ["--model", "r2plus1d18", "--width", "0.125"] })
        {
            var bench = CliProcess.Run(["bench", "train", "--config", work["train.json"], .. which, "--steps", "2", "--warmup", "1", "--json"]);
            Assert.True(bench.ExitCode == 0, bench.Stderr);
            var row = Assert.Single(JsonLines(bench.Stdout));
            var info = CliProcess.Run(["model", "info", .. which, "--channels", "4", "--layers", "3", "--classes", "8", "--json"]);
            Assert.True(info.ExitCode == 0, info.Stderr);
            Assert.Equal(JsonDocument.Parse(info.Stdout).RootElement.GetProperty("params").GetInt64(), row.GetProperty("parameters").GetInt64());
            Assert.True(row.GetProperty("seconds_per_step_median").GetDouble() > 0);
        }
    }
}
