using Orleans.TestingHost;
using VideoNas.Grains;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>One real trial through an Orleans test cluster: coordinator → shard worker → TorchSharp and back.</summary>
public class TrialClusterTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 2,
        ArchLr = 0.05,
        Seed = 11,
    };

    [Fact]
    public async Task TrialRunsToCompletionMovesAlphaAndWritesParsableFiles()
    {
        using var stateFolder = new TempFolder("videonas-state-");
        string state = stateFolder.Path;
        string output = Path.Combine(state, "run");
        await using var cluster = await TestClusters.StartAsync(1, state);

        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("t1");
        await trial.Submit(new TrialSpec(Tiny.ToJson(), data.Root, 1, output));
        var status = await TrialWait.End(trial, TimeSpan.FromMinutes(3));

        Assert.True(status.State == TrialState.Completed, $"trial ended {status.State}: {status.Error}");
        Assert.Equal(2, status.Epoch);
        Assert.Equal(2, status.History.Count);
        Assert.Equal(status.TotalSteps, status.Step);
        Assert.Single(status.Shards);

        var alphas = SearchFiles.ReadAlphas(Path.Combine(output, SearchFiles.AlphasFileName));
        using (var fresh = new BilevelSearch(Tiny, SyntheticDataFixture.Options.Classes))
        {
            var initial = fresh.Model.ExportAlphas();
            Assert.NotEqual(initial.Normal.SelectMany(r => r), alphas.Normal.SelectMany(r => r));
        }
        var genotype = SearchFiles.ReadGenotype(Path.Combine(output, SearchFiles.GenotypeFileName));
        Assert.Equal(GenotypeDeriver.Derive(alphas), genotype, GenotypeComparer.Instance);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "genotype_history.jsonl")).Length);
        Assert.Equal(Tiny, SearchConfig.FromJson(File.ReadAllText(Path.Combine(output, "config.json"))), SearchConfigComparer.Instance);

        // The registry and the trial record are files: a new cluster on the same folder finds them.
        await cluster.StopAllSilosAsync();
        await using var second = await TestClusters.StartAsync(1, state);
        Assert.Contains("t1", await second.Client.GetGrain<ITrialRegistryGrain>(0).List());
        var reread = await second.Client.GetGrain<ITrialCoordinatorGrain>("t1").GetStatus();
        Assert.Equal(TrialState.Completed, reread.State);
        Assert.Equal(status.GenotypeJson, reread.GenotypeJson);
    }

    private sealed class GenotypeComparer : IEqualityComparer<Genotype>
    {
        public static readonly GenotypeComparer Instance = new();
        public bool Equals(Genotype? a, Genotype? b) => a is not null && b is not null &&
            a.Normal.SequenceEqual(b.Normal) && a.Reduce.SequenceEqual(b.Reduce) &&
            a.NormalConcat.SequenceEqual(b.NormalConcat) && a.ReduceConcat.SequenceEqual(b.ReduceConcat);
        public int GetHashCode(Genotype g) => g.Normal.Count;
    }

    private sealed class SearchConfigComparer : IEqualityComparer<SearchConfig>
    {
        public static readonly SearchConfigComparer Instance = new();
        public bool Equals(SearchConfig? a, SearchConfig? b) => a is not null && b is not null &&
            a.Primitives.SequenceEqual(b.Primitives) && a with { Primitives = b.Primitives } == b;
        public int GetHashCode(SearchConfig c) => c.Steps;
    }
}
