using System.Text.RegularExpressions;

namespace VideoNas.Tests;

/// <summary><c>delete</c>: a finished trial of the embedded default forgotten, the files it wrote removed, a user's own file kept.</summary>
public class DeleteCliTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void DeletingAFinishedTrialForgetsItAndRemovesOnlyWhatItWrote()
    {
        using var work = new TempFolder("videonas-delete-");
        File.WriteAllText(work["search.json"], (TinySearch.Network with { BatchSize = 2, Epochs = 1, StepsPerEpoch = 1, CheckpointEvery = 1 }).ToJson());
        string state = work["state"], outDir = work["out"];
        var demo = CliProcess.Run(["demo", "--state", state, "--data", data.Root, "--config", work["search.json"], "--out", outDir]);
        Assert.True(demo.ExitCode == 0, demo.Stdout + demo.Stderr);
        string id = Regex.Match(demo.Stdout, @"submitting trial (\S+):").Groups[1].Value;
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "checkpoints")));
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "the user's own");

        var plain = CliProcess.Run(["delete", id, "--files", "--state", state]);
        Assert.True(plain.ExitCode == 0, plain.Stdout + plain.Stderr);
        Assert.Contains($"deleted trial {id}: its record and ", plain.Stdout);
        Assert.Contains($"kept (not written by VideoNas): {Path.Combine(outDir, "notes.txt")}", plain.Stdout);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));

        var gone = CliProcess.Run(["status", id, "--state", state]);
        Assert.Equal(2, gone.ExitCode);
        Assert.Contains($"no trial \"{id}\" here; known: none", gone.Stderr);
    }
}
