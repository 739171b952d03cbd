using System.Text.Json.Nodes;

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
}
