using System.Text.Json.Nodes;
using VideoNas.Core.Data;

namespace VideoNas.Tests;

public class DatasetCheckTests
{
    /// <summary>A fresh copy of the synthetic set, deleted with the returned folder.</summary>
    private static TempFolder FreshDataset()
    {
        var root = new TempFolder("videonas-check-");
        SyntheticMotionDataset.Generate(root.Path, SyntheticDataFixture.Options);
        return root;
    }

    [Fact]
    public void ACleanDatasetExitsZeroWithItsStatistics()
    {
        using var rootFolder = FreshDataset();
        string root = rootFolder.Path;
        var r = CliProcess.Run("dataset", "check", "--root", root, "--json");
        Assert.Equal(0, r.ExitCode);
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(12, (int)report["usable_clips"]!);
        Assert.Equal(12, (int)report["min_frames"]!); // SyntheticDataFixture writes 12-frame clips
        Assert.Equal("24x24", (string)report["resolutions"]![0]!);
        Assert.Equal(4, (int)report["classes"]![0]!["train"]!);
    }

    [Fact]
    public void EveryBrokenFileAndLineIsNamedAndTheExitCodeIsOne()
    {
        using var rootFolder = FreshDataset();
        string root = rootFolder.Path;
        var split = Ucf101Layout.Load(root, 1);
        string truncated = split.Train[0].RelativePath, text = split.Train[1].RelativePath, missing = split.Test[0].RelativePath;
        string headerOnly = split.Train[2].RelativePath;
        File.WriteAllBytes(Path.Combine(root, truncated), CutInsideFrameData(File.ReadAllBytes(Path.Combine(root, truncated)), 0.5));
        File.WriteAllBytes(Path.Combine(root, headerOnly), CutInsideFrameData(File.ReadAllBytes(Path.Combine(root, headerOnly)), 0.0));
        File.WriteAllText(Path.Combine(root, text), "not a video");
        File.Delete(Path.Combine(root, missing));
        File.AppendAllText(Path.Combine(root, "ucfTrainTestlist", "trainlist01.txt"), "../../etc/passwd 1\r\nMoveLeft/v_MoveLeft_g02_c01.avi 1\r\n");

        var report = DatasetCheck.Run(root, 1);
        Assert.Equal(1, report.ExitCode);
        var reasons = report.Problems.ToDictionary(p => p.Where, p => p.Reason);
        Assert.Matches("^(truncated: [0-9]+ of 12 frames decodable|corrupt or truncated: .+)$", reasons[truncated]);
        Assert.Equal("truncated: 0 of 12 frames decodable", reasons[headerOnly]);
        Assert.StartsWith("unreadable", reasons[text]);
        Assert.Equal("missing file", reasons[missing]);
        string list = Path.Combine(root, "ucfTrainTestlist", "trainlist01.txt");
        Assert.Contains("leaves the dataset root", reasons[$"{list}:{split.Train.Count + 1}"]);
        Assert.Contains("label 1 disagrees with classInd.txt", reasons[$"{list}:{split.Train.Count + 2}"]);
        Assert.Equal(8, report.UsableClips);
    }

    /// <summary>
    /// Cuts an AVI at a fraction of its frame data ('movi' list up to the 'idx1' index), the way an
    /// interrupted copy leaves it; a fixed fraction of the whole file can land in the header instead.
    /// </summary>
    private static byte[] CutInsideFrameData(byte[] avi, double fraction)
    {
        int movi = avi.AsSpan().IndexOf("movi"u8), index = avi.AsSpan().LastIndexOf("idx1"u8);
        Assert.True(movi > 0 && index > movi, "the synthetic clip is not an indexed AVI");
        return avi[..(movi + 4 + (int)((index - movi - 4) * fraction))];
    }

    [Fact]
    public void AMissingToolIsOneClearErrorNotACrash()
    {
        using var rootFolder = FreshDataset();
        string root = rootFolder.Path;
        var r = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_FFMPEG"] = "/nonexistent/ffmpeg" },
            "dataset", "check", "--root", root);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: could not run '/nonexistent/ffprobe'", r.Stderr);
        Assert.Contains("apt-get install ffmpeg", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void AMissingSplitFileMakesTheDatasetUnusable()
    {
        using var rootFolder = FreshDataset();
        string root = rootFolder.Path;
        File.Delete(Path.Combine(root, "ucfTrainTestlist", "testlist02.txt"));
        var r = CliProcess.Run("dataset", "check", "--root", root, "--split", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("testlist02.txt: split file not found", r.Stderr);
    }
}
