using System.Text.Json.Nodes;
using VideoNas.Client;
using VideoNas.Core;

namespace VideoNas.Tests;

/// <summary>Redis, two silo processes and the CLI as separate processes, all on loopback.</summary>
[Collection(RealProcessCollection.Name)]
public class ClusterModeTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 4,
        Epochs = 2,
        Seed = 3,
        ReplicaCheckEvery = 1,
    };

    [Fact]
    public void ATrialSubmittedThroughRedisRunsOnTwoSiloProcessesAndReportsItsShards()
    {
        using var cluster = new RedisClusterFixture(log);
        cluster.StartSilo();
        cluster.StartSilo();
        using var workFolder = new TempFolder("videonas-submit-");
        string work = workFolder.Path;
        string config = Path.Combine(work, "search.json");
        File.WriteAllText(config, Tiny.ToJson());

        var submit = CliProcess.Run(["submit", "--config", config, "--dataset", data.Root, "--shards", "2", "--id", "two-silos",
            "--out", Path.Combine(work, "run"), "--follow", .. cluster.ClientArgs]);
        Assert.True(submit.ExitCode == 0, submit.Stdout + submit.Stderr);
        Assert.StartsWith("two-silos", submit.Stdout);

        var status = CliProcess.Run(["status", "two-silos", "--json", .. cluster.ClientArgs]);
        Assert.True(status.ExitCode == 0, status.Stderr);
        var json = JsonNode.Parse(status.Stdout)!;
        Assert.Equal("Completed", (string)json["state"]!);
        Assert.Equal(2, json["shards"]!.AsArray().Select(s => (string)s!["silo"]!).Distinct().Count());
        Assert.Equal(0, (int)json["bad_clips"]!);
        Assert.True(File.Exists(Path.Combine(work, "run", SearchFiles.GenotypeFileName)));

        var unknown = CliProcess.Run(["status", "no-such-trial", .. cluster.ClientArgs]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no trial \"no-such-trial\"", unknown.Stderr);
        Assert.Contains("two-silos", unknown.Stderr);
    }

    [Fact]
    public async Task ASiloServesPrometheusMetricsThatMoveWhileATrialRuns()
    {
        int port = LoopbackPort.Free();
        using var cluster = new RedisClusterFixture(log);
        cluster.StartSilo("--VideoNas:MetricsPort", $"{port}");
        using var work = new TempFolder("videonas-metrics-");
        File.WriteAllText(work["search.json"], (Tiny with { Epochs = 30 }).ToJson());
        var submit = CliProcess.Run(["submit", "--config", work["search.json"], "--dataset", data.Root, "--id", "metered",
            "--out", work["run"], .. cluster.ClientArgs]);
        Assert.True(submit.ExitCode == 0, submit.Stdout + submit.Stderr);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        long first = await StepsOnceAbove(http, 0);
        long later = await StepsOnceAbove(http, first);
        Assert.True(later > first);
        string scrape = await http.GetStringAsync("metrics");
        Assert.Matches(@"(?m)^videonas_search_loss\{[^}]*split=""w""[^}]*trial=""metered""[^}]*\} \d", scrape);
        Assert.Matches(@"(?m)^videonas_shard_time_seconds_count\{[^}]*part=""compute""", scrape);
        Assert.Matches(@"(?m)^videonas_data_clips_loaded_total\{[^}]*\} [1-9]", scrape);
        Assert.Contains("orleans_", scrape);
        Assert.Equal(0, CliProcess.Run(["cancel", "metered", .. cluster.ClientArgs]).ExitCode);
    }

    /// <summary>The trial's step counter as the silo's /metrics shows it, once it exceeds <paramref name="floor"/>.</summary>
    private static async Task<long> StepsOnceAbove(HttpClient http, long floor)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var line = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync("metrics"),
                @"(?m)^videonas_search_steps_total\{[^}]*trial=""metered""[^}]*\} (\d+)");
            if (line.Success && long.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var steps && steps > floor) return steps;
            await Task.Delay(200);
        }
        throw new TimeoutException($"videonas_search_steps_total for trial metered never exceeded {floor}");
    }
}
