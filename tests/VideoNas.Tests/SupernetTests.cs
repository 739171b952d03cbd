using VideoNas.Nas;
using VideoNas.Nas.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

public class SupernetTests
{
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 2,
        ArchLr = 0.05,
    };

    [Fact]
    public void ForwardAveragesSegmentScoresIntoOneRowPerClip()
    {
        using var net = new SearchNetwork(Tiny, classes: 5);
        using var clips = randn([3, 2, 3, 2, 16, 16]);
        using var logits = net.call(clips);
        Assert.Equal(new long[] { 3, 5 }, logits.shape);
    }

    [Fact]
    public void ArchStepMovesAlphaAndWeightStepLeavesIt()
    {
        using var search = new BilevelSearch(Tiny, classes: 3);
        using var batch = new ClipBatch(randn([2, 2, 3, 2, 16, 16]), tensor(new long[] { 0, 2 }));
        var before = search.Model.ExportAlphas();
        search.WeightStep(batch);
        var afterW = search.Model.ExportAlphas();
        Assert.Equal(before.Normal.SelectMany(r => r), afterW.Normal.SelectMany(r => r));
        search.ArchStep(batch);
        var afterA = search.Model.ExportAlphas();
        Assert.NotEqual(before.Normal.SelectMany(r => r), afterA.Normal.SelectMany(r => r));
        Assert.NotEqual(before.Reduce.SelectMany(r => r), afterA.Reduce.SelectMany(r => r));
    }
}
