using VideoNas.Core.Data;

namespace VideoNas.Tests;

public class TsnSamplerTests
{
    [Fact]
    public void TestModeTakesSegmentCentres()
    {
        // 24 frames, K = 4 → segments of 6; F = 2 consecutive leaves room 4, centre offset 2.
        Assert.Equal([2, 3, 8, 9, 14, 15, 20, 21], TsnSampler.Sample(24, 4, 2, random: null));
        // Stride 2: the pair spans 3 frames, room 3, centre offset 1.
        Assert.Equal([1, 3, 7, 9, 13, 15, 19, 21], TsnSampler.Sample(24, 4, 2, random: null, stride: 2));
    }

    [Fact]
    public void TrainModeStaysInsideEachSegment()
    {
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var idx = TsnSampler.Sample(24, 4, 2, random);
            for (int k = 0; k < 4; k++)
            {
                Assert.InRange(idx[2 * k], 6 * k, 6 * k + 4);
                Assert.Equal(idx[2 * k] + 1, idx[2 * k + 1]);
            }
        }
    }

    [Fact]
    public void ShortClipsRepeatFrames()
    {
        Assert.True(TsnSampler.NeedsRepetition(5, 4, 2));
        var idx = TsnSampler.Sample(5, 4, 2, random: null);
        Assert.All(idx, i => Assert.InRange(i, 0, 4));
        Assert.Equal(8, idx.Length);
    }
}

public class SyntheticDatasetTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public void WritesRealVideosInTheUcf101LayoutWithGroupAwareSplits()
    {
        var o = SyntheticDataFixture.Options;
        var split1 = Ucf101Layout.Load(data.Root, 1);
        Assert.Equal(["MoveRight", "MoveLeft"], split1.Classes);
        // Split 1 tests on group 1 of 3: one third of the clips.
        Assert.Equal(o.Classes * o.ClipsPerGroup, split1.Test.Count);
        Assert.Equal(o.Classes * o.ClipsPerGroup * 2, split1.Train.Count);
        Assert.All(split1.Test, c => Assert.Contains("_g01_", c.RelativePath));
        Assert.DoesNotContain(split1.Train, c => c.RelativePath.Contains("_g01_"));
        Assert.Contains("\r\n", File.ReadAllText(Path.Combine(data.Root, "ucfTrainTestlist", "trainlist01.txt")));

        var clip = split1.Train[0];
        var video = Ffmpeg.Decode(split1.FullPath(clip), 16);
        Assert.Equal(o.Frames, video.Frames);
        Assert.Equal(16 * 16 * 3 * o.Frames, video.Rgb.Length);
    }

    [Fact]
    public void ListErrorsNameTheFileAndLine()
    {
        using var rootFolder = new TempFolder("videonas-lists-");
        string root = rootFolder.Path;
        string lists = Path.Combine(root, "ucfTrainTestlist");
        Directory.CreateDirectory(lists);
        File.WriteAllText(Path.Combine(lists, "classInd.txt"), "1 A\r\n2 B\r\n");
        File.WriteAllText(Path.Combine(lists, "trainlist01.txt"), "A/v_A_g01_c01.avi 1\r\nB/v_B_g01_c01.avi 1\r\n");
        File.WriteAllText(Path.Combine(lists, "testlist01.txt"), "../etc/passwd\r\n");
        var e = Assert.Throws<FormatException>(() => Ucf101Layout.Load(root, 1));
        Assert.Contains("trainlist01.txt:2: label 1 disagrees with classInd.txt, where \"B\" is 2", e.Message);

        File.WriteAllText(Path.Combine(lists, "trainlist01.txt"), "A/v_A_g01_c01.avi 1\r\n");
        e = Assert.Throws<FormatException>(() => Ucf101Layout.Load(root, 1));
        Assert.Contains("testlist01.txt:1: \"../etc/passwd\" leaves the dataset root", e.Message);

        var missing = Assert.Throws<FileNotFoundException>(() => Ucf101Layout.Load(root, 2));
        Assert.Contains("trainlist02.txt: split file not found", missing.Message);
    }

    [Fact]
    public void ACorruptVideoIsReportedByName()
    {
        using var pathFolder = new TempFolder("videonas-bad-");
        string path = Path.Combine(pathFolder.Path, "v_X_g01_c01.avi");
        File.WriteAllText(path, "this is not a video");
        var e = Assert.Throws<VideoDecodeException>(() => Ffmpeg.Decode(path, 16));
        Assert.StartsWith(path + ": ", e.Message);
    }
}
