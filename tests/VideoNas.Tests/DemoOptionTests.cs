using System.Text.Json.Nodes;

namespace VideoNas.Tests;

/// <summary>An option overrides the demo's config file only when it is given.</summary>
public class DemoOptionTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void TheConfigsSeedAndEpochsHoldUnlessAnOptionIsGiven()
    {
        using var workFolder = new TempFolder("videonas-demo-options-");
        string work = workFolder.Path;
        string config = Path.Combine(work, "seed3.json");
        File.WriteAllText(config, (TinySearch.Network with { BatchSize = 2, Epochs = 1, StepsPerEpoch = 1, Seed = 3 }).ToJson());
        JsonNode Ran(string name, params string[] options)
        {
            string outDir = Path.Combine(work, name);
            var run = CliProcess.Run(["demo", "--state", Path.Combine(work, "state"), "--data", data.Root, "--config", config, "--out", outDir, .. options]);
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")))!;
        }
        var plain = Ran("plain");
        Assert.Equal(3, (int)plain["seed"]!);
        Assert.Equal(1, (int)plain["epochs"]!);
        var overridden = Ran("overridden", "--seed", "4", "--epochs", "2");
        Assert.Equal(4, (int)overridden["seed"]!);
        Assert.Equal(2, (int)overridden["epochs"]!);
    }
}
