using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;
using VideoNas.Core.Training;

namespace VideoNas.Tests;

/// <summary><c>groundtruth build</c> on tiny data: one row per draw and seed, resumable, and refusing to mix train configs.</summary>
[Collection(RealProcessCollection.Name)]
public class GroundTruthCliTests(SyntheticDataFixture data, ITestOutputHelper log) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void BuildTrainsEachDrawAndSeedOnceAndExtendsTheTableOnAGreaterDrawCount()
    {
        using var work = new TempFolder("videonas-groundtruth-");
        var config = new TrainConfig { Epochs = 1, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 1, Channels = 4, Layers = 3 };
        File.WriteAllText(work["train.json"], config.ToJson());
        string[] Args(int draws) => ["groundtruth", "build", "--data", data.Root, "--train-config", work["train.json"], "--draws", $"{draws}", "--seeds", "2",
            "--steps", "2", "--out", work["table"]];

        var first = CliProcess.Run(Args(1));
        log.WriteLine(first.Stdout + first.Stderr);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var table = GroundTruthTable.Read(work["table/table.json"]);
        var entry = Assert.Single(table.Entries);
        Assert.Equal([0L, 1L], entry.Runs.Select(r => r.Seed));
        Assert.All(entry.Runs, r => Assert.InRange(r.VideoAccuracy, 0, 1));
        Assert.All(entry.Runs, r => Assert.True(r.WallSeconds > 0));
        Assert.Equal(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 2, 0)), SearchFiles.ToJson(entry.ParsedGenotype("test")));

        // Two draws: draw 0 is kept as it was, only draw 1 is trained.
        var second = CliProcess.Run(Args(2));
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("2 of 4 trainings already", second.Stdout);
        Assert.Equal(2, second.Stdout.Split('\n').Count(l => l.Contains("training 1 epochs", StringComparison.Ordinal)));
        var extended = GroundTruthTable.Read(work["table/table.json"]);
        Assert.Equal([0, 1], extended.Entries.Select(e => e.Draw));
        Assert.Equal(entry.Runs, extended.Entries[0].Runs);
        Assert.Contains("| 1 |", File.ReadAllText(work["table/table.md"]));

        // Another train config would mix rows that mean different things.
        File.WriteAllText(work["train.json"], (config with { Epochs = 2 }).ToJson());
        var mixed = CliProcess.Run(Args(2));
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("built with another train config", mixed.Stderr);
    }
}
