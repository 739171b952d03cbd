using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.Training;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Training;

namespace VideoNas.Tests;

public class TrainingTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly TrainConfig Tiny = new()
    {
        Epochs = 2, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 3, Channels = 4, Layers = 3,
        AuxiliaryWeight = 0.4,
    };

    private static readonly Genotype Cells = SearchFiles.ParseGenotype("""
        {"normal": [["p3d_a_3",0],["skip_connect",1],["conv_3x1x1",2],["avg_pool_1x3x3",0]], "normal_concat": [2,3],
         "reduce": [["max_pool_1x3x3",0],["p3d_b_3",1],["skip_connect",2],["conv_1x3x3",1]], "reduce_concat": [2,3]}
        """);

    [Fact]
    public void DerivedNetworkTrainsAndReportsAccuracyOverEveryTestVideo()
    {
        var dataset = Ucf101Layout.Load(data.Root, 1);
        var net = new DerivedNetwork(Cells, dataset.Classes.Count, Tiny.Channels, Tiny.Layers, auxiliary: true);
        long expectedParams = ModelZoo.ParameterCount(net);
        var reports = new List<EpochReport>();
        var result = new ScratchTrainer(Tiny, dataset).Train("cells", net, reports.Add);

        Assert.Equal(2, reports.Count);
        Assert.Equal(reports, result.Epochs);
        Assert.Equal(expectedParams, result.Params);
        Assert.True(result.FlopsPerClip > 0);
        Assert.Equal(dataset.Test.Count, result.TestVideos);
        // With 3 clips per video, clip accuracy moves in steps of 1/(3·videos) and video accuracy in 1/videos.
        Assert.Equal(0, Math.Round(result.ClipAccuracy * 3 * result.TestVideos, 6) % 1);
        Assert.Equal(0, Math.Round(result.VideoAccuracy * result.TestVideos, 6) % 1);
        Assert.Equal(0.025, reports[0].LearningRate, 9);
        Assert.Equal(0.0125, reports[1].LearningRate, 9); // cosine: half-way at epoch 1 of 2
    }

    [Fact]
    public void TestClipsAreUniformlySpaced()
    {
        // 24 frames, K = 2 → segments of 12, F = 2 leaves room 10; 2 clips at 1/4 and 3/4 of it.
        Assert.Equal([2, 3, 14, 15], TsnSampler.SampleTestClip(24, 2, 2, 1, 0, 2));
        Assert.Equal([7, 8, 19, 20], TsnSampler.SampleTestClip(24, 2, 2, 1, 1, 2));
        Assert.Equal(TsnSampler.Sample(24, 2, 2, null), TsnSampler.SampleTestClip(24, 2, 2, 1, 0, 1));
    }

    [Theory]
    // torchvision's model tables: 40.70 and 40.52 GFLOPS for a 16×112×112 clip.
    [InlineData("r3d18", 40.70e9)]
    [InlineData("r2plus1d18", 40.52e9)]
    public void ModelInfoMatchesPublishedFlops(string model, double published)
    {
        var r = CliProcess.Run("model", "info", "--model", model, "--classes", "400", "--json");
        Assert.Equal(0, r.ExitCode);
        var info = JsonNode.Parse(r.Stdout)!;
        Assert.InRange((double)info["flops"]!, published * 0.999, published * 1.001);
        Assert.Equal(model == "r3d18" ? 33_371_472L : 31_505_325L, (long)info["params"]!);
    }
}
