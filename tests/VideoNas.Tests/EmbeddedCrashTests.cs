using System.Text.RegularExpressions;

namespace VideoNas.Tests;

/// <summary>The embedded default loses nothing to a crash: a demo killed mid-trial is finished by the next demo on the same state.</summary>
[Collection(RealProcessCollection.Name)]
public class EmbeddedCrashTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 12,
        ArchLr = 0.05,
        Seed = 7,
        CheckpointEvery = 3,
    };

    [Fact]
    public void KilledDemoIsResumedFromItsCheckpointByTheNextDemo()
    {
        using var workFolder = new TempFolder("videonas-crash-");
        string work = workFolder.Path;
        string state = Path.Combine(work, "state"), config = Path.Combine(work, "tiny.json");
        File.WriteAllText(config, Tiny.ToJson());
        string[] common = ["demo", "--state", state, "--data", data.Root, "--config", config];

        var (first, firstLog) = CliProcess.Start([.. common, "--out", Path.Combine(work, "first")]);
        string checkpoints = Path.Combine(work, "first", "checkpoints");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        // A second file means the trial record already points at the first (it is stored before stepping on).
        while (!(Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "step-*.ckpt").Length >= 2) && !first.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.False(first.HasExited, $"the first demo ended before it could be killed:\n{firstLog}");
        first.Kill(); // SIGKILL: no cancel, no shutdown
        first.WaitForExit();
        string history = Path.Combine(work, "first", SearchFiles.HistoryFileName);
        Assert.True(!File.Exists(history) || File.ReadAllLines(history).Length < Tiny.Epochs, "the first demo finished before the kill");

        var second = CliProcess.Run([.. common, "--out", Path.Combine(work, "second")]);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.True(Regex.IsMatch(second.Stdout, @"resuming interrupted trial demo-\S+ from its checkpoint at step [1-9]\d*"),
            $"first demo:\n{firstLog}\nsecond demo:\n{second.Stdout}{second.Stderr}");
        Assert.Contains("ended Completed", second.Stdout);
        // The resumed trial wrote each epoch's history line once, in order, whatever it had written before the kill.
        var epochs = File.ReadAllLines(history).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["epoch"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, Tiny.Epochs), epochs);
        Assert.True(File.Exists(Path.Combine(work, "second", SearchFiles.GenotypeFileName)));
        // Nothing is left to resume: a third demo starts its own trial straight away.
        Assert.DoesNotContain("resuming", CliProcess.Run([.. common, "--epochs", "1", "--out", Path.Combine(work, "third")]).Stdout);
    }
}
