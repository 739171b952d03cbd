using VideoNas.Core.Data;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>A search stopped, written out and restored into fresh objects continues bit for bit as if never stopped.</summary>
public class SearchCheckpointTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with
    {
        BatchSize = 2,
        Epochs = 3,
        ArchLr = 0.05,
        Seed = 17,
        SecondOrder = true,
    };

    private const int StepsPerEpoch = 3, TotalSteps = 7;

    [Fact]
    public void RestoredSearchEndsBitIdenticalToAnUninterruptedOne()
    {
        var dataset = Ucf101Layout.Load(data.Root, 1);
        string uninterrupted;
        using (var run = new Replica(Tiny, dataset))
        {
            run.Steps(0, TotalSteps);
            uninterrupted = run.Search.Checksum();
        }

        using var pathFolder = new TempFolder("videonas-ckpt-");

        string path = Path.Combine(pathFolder.Path, "step-4.ckpt");
        string atCheckpoint;
        using (var first = new Replica(Tiny, dataset))
        {
            // Step 4 is mid-epoch, after one epoch end: the cosine position, momentum and Adam's moments all matter.
            first.Steps(0, 4);
            SearchCheckpoint.Save(path, first.Search, first.Data.Cursor, 4);
            atCheckpoint = first.Search.Checksum();
            first.Steps(4, 5); // work after the checkpoint that a crash loses
        }

        using var second = new Replica(Tiny, dataset);
        Assert.NotEqual(atCheckpoint, second.Search.Checksum());
        var (step, cursor) = SearchCheckpoint.Load(path, second.Search);
        second.Data.Cursor = cursor;
        Assert.Equal(4, step);
        Assert.Equal(1, second.Search.Epoch);
        Assert.Equal(atCheckpoint, second.Search.Checksum());
        second.Steps(4, TotalSteps);
        Assert.Equal(uninterrupted, second.Search.Checksum());
    }

    [Fact]
    public void DamagedOrForeignCheckpointIsRefusedNamingTheFile()
    {
        var dataset = Ucf101Layout.Load(data.Root, 1);
        using var dirFolder = new TempFolder("videonas-ckpt-");
        string dir = dirFolder.Path;
        string path = Path.Combine(dir, "step-1.ckpt");
        using var run = new Replica(Tiny, dataset);
        run.Steps(0, 1);
        SearchCheckpoint.Save(path, run.Search, run.Data.Cursor, 1);

        using (var other = new Replica(Tiny with { InitChannels = 6 }, dataset))
        {
            var e = Assert.Throws<CheckpointUnreadableException>(() => SearchCheckpoint.Load(path, other.Search));
            Assert.Contains(path, e.Message);
            Assert.Contains("another search configuration", e.Message);
        }
        // Loading settings and the edges' form change no number: a resumed trial may load or step faster or slower.
        using (var faster = new Replica(Tiny with { DecodeWorkers = 1, PrefetchBatches = 4, DecodeCacheDir = Path.Combine(dir, "cache") }, dataset))
            Assert.Equal(1, SearchCheckpoint.Load(path, faster.Search).Step);
        using (var unfused = new Replica(Tiny with { FusedEdges = false }, dataset))
            Assert.Equal(1, SearchCheckpoint.Load(path, unfused.Search).Step);

        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var damaged = Assert.Throws<CheckpointUnreadableException>(() => SearchCheckpoint.Load(path, run.Search));
        Assert.Equal($"{path}: checkpoint is damaged (its SHA-256 does not match its contents)", damaged.Message);

        File.WriteAllText(path, "not a checkpoint");
        Assert.Contains("not a VideoNas checkpoint", Assert.Throws<CheckpointUnreadableException>(() => SearchCheckpoint.Load(path, run.Search)).Message);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    /// <summary>The step loop a trial runs: α step (second order, on the w batch that follows), w step, epoch ends.</summary>
    private sealed class Replica(SearchConfig config, VideoDataset dataset) : IDisposable
    {
        public SearchData Data { get; } = new(dataset, config);
        public BilevelSearch Search { get; } = new(config, dataset.Classes.Count);

        public void Steps(int from, int to)
        {
            for (int step = from; step < to; step++)
            {
                using var validation = Data.NextArchBatch();
                using var train = Data.NextWeightBatch();
                Search.ArchStep(validation, train);
                Search.WeightStep(train);
                if ((step + 1) % StepsPerEpoch == 0) Search.EndEpoch();
            }
        }

        public void Dispose() => Search.Dispose();
    }
}
