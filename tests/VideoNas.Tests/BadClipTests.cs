using VideoNas.Core.Data;
using VideoNas.Nas.Data;

namespace VideoNas.Tests;

public class BadClipTests
{
    private static readonly SearchConfig Config = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 1,
    };

    /// <summary>A fresh copy of the synthetic set with one training clip replaced by text.</summary>
    private static (VideoDataset Dataset, string Broken) DatasetWithOneBrokenClip(string root)
    {
        SyntheticMotionDataset.Generate(root, SyntheticDataFixture.Options);
        var dataset = Ucf101Layout.Load(root, 1);
        string broken = dataset.Train[0].RelativePath;
        File.WriteAllText(Path.Combine(root, broken), "not a video");
        return (dataset, broken);
    }

    [Fact]
    public void TooManyBadClipsStopTheSearchNamingTheFile()
    {
        using var root = new TempFolder("videonas-bad-");
        var (dataset, broken) = DatasetWithOneBrokenClip(root.Path);
        var data = new SearchData(dataset, Config); // 1 of 8 bad = 12.5% > 1%
        var e = Assert.Throws<InvalidDataException>(() => data.Warm());
        Assert.Contains($"1 of {dataset.Train.Count} training clips could not be decoded", e.Message);
        Assert.Contains(broken, e.Message);
    }

    [Fact]
    public void BadClipsUnderTheLimitAreSkippedAndCounted()
    {
        using var root = new TempFolder("videonas-bad-");
        var (dataset, broken) = DatasetWithOneBrokenClip(root.Path);
        var data = new SearchData(dataset, Config with { MaxBadClipFraction = 0.2 });
        data.Warm();
        Assert.Equal([broken], data.BadClips.Keys);
        for (int i = 0; i < 6; i++)
        {
            using var batch = data.NextWeightBatch();
            Assert.Equal(2, batch.Count);
        }
    }
}
