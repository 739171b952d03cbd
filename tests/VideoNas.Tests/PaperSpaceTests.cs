using VideoNas.Core.Data;
using VideoNas.Core.Training;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Search;
using VideoNas.Nas.Training;

namespace VideoNas.Tests;

/// <summary>The paper's 3-D DARTS space (docs/experiments/search-paper.json): it searches, derives and trains.</summary>
public class PaperSpaceTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    [Fact]
    public async Task ThePaperSpaceSearchesAndItsGenotypeTrains()
    {
        var config = TinySearch.Network with { Primitives = Primitives.Paper, Steps = 3, BatchSize = 2, Epochs = 1, ArchLr = 0.05, Seed = 5 };
        using var output = new TempFolder("videonas-paper-");
        using (var replica = SearchReplica.Open(config, DatasetLayout.Open(data.Root, 1, 0)))
        {
            var run = new SearchRun<ReplicaStep>(config, new InProcessReplica(replica), new Recorder<ReplicaStep>(), output.Path);
            Assert.Null(await run.RunAsync(0, [], CancellationToken.None));
        }
        var genotype = SearchFiles.ReadGenotype(output[SearchFiles.GenotypeFileName]);
        Assert.Equal(6, genotype.Normal.Count);
        Assert.All(genotype.Normal.Concat(genotype.Reduce), e => Assert.Contains(e.Op, Primitives.Paper.Skip(1)));

        var train = new TrainConfig { Epochs = 1, BatchSize = 4, Segments = 2, FramesPerSegment = 2, Resolution = 16, TestClips = 1, Channels = 4, Layers = 3 };
        var dataset = Ucf101Layout.Load(data.Root, 1);
        var net = new DerivedNetwork(genotype, dataset.Classes.Count, train.Channels, train.Layers, auxiliary: false);
        long parameters = ModelZoo.ParameterCount(net);
        var result = new ScratchTrainer(train, dataset).Train("paper", net, _ => { });
        Assert.True(double.IsFinite(result.Epochs[0].Loss), $"loss {result.Epochs[0].Loss}");
        Assert.Equal(parameters, result.Params);
        Assert.Equal(dataset.Test.Count, result.TestVideos);
    }

    [Fact]
    public void TheShippedSearchConfigsParseAndThePaperPresetIsThePapersSpace()
    {
        var files = Directory.GetFiles(Path.Combine(DeployFiles.Root, "docs", "experiments"), "search-*.json")
            .Append(Path.Combine(DeployFiles.Root, "docs", "experiments", "ucf101-paper-scale.json")).ToList();
        Assert.Contains(files, f => f.EndsWith("search-paper.json", StringComparison.Ordinal));
        foreach (var file in files) SearchConfig.FromJson(File.ReadAllText(file), file).Validated(file);
        var paper = SearchConfig.FromJson(File.ReadAllText(Path.Combine(DeployFiles.Root, "docs", "experiments", "search-paper.json")));
        Assert.Equal(Primitives.Paper, paper.Primitives);
        Assert.Equal((3, 4, 2, 112), (paper.Steps, paper.Segments, paper.FramesPerSegment, paper.Resolution));
    }

    [Fact]
    public void ThePaperScaleTrainingConfigGivesASearchedNetworkOfThePapersSize()
    {
        string experiments = Path.Combine(DeployFiles.Root, "docs", "experiments");
        foreach (var file in new[] { "train.json", "ucf101-train-paper-scale.json" })
            TrainConfig.FromJson(File.ReadAllText(Path.Combine(experiments, file)), file);
        var c = TrainConfig.FromJson(File.ReadAllText(Path.Combine(experiments, "ucf101-train-paper-scale.json")));
        var genotype = SearchFiles.ReadGenotype(Path.Combine(DeployFiles.Root, "docs", "results", "evaluation-paper-32", "genotypes", "searched_s0.json"));
        using var net = new DerivedNetwork(genotype, 101, c.Channels, c.Layers, auxiliary: false, stemTemporalKernel: c.StemTemporalKernel);
        // The paper's searched network has 0.67 M parameters; this genotype at the config's width has 684,281.
        Assert.Equal(684_281, ModelZoo.ParameterCount(net));
    }
}
