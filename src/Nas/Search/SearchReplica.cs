using System.Diagnostics;
using VideoNas.Core.Data;
using VideoNas.Core.DataPlane;
using VideoNas.Core.Search;
using VideoNas.Nas.Data;

namespace VideoNas.Nas.Search;

/// <summary>
/// One replica of a search: its <see cref="BilevelSearch"/>, its shard of the data, and the training batch
/// a second-order α step unrolled on, kept for the w step that follows (DARTS' pairing). Synchronous: the
/// caller runs it on the thread that owns its tensors.
/// </summary>
public sealed class SearchReplica : IDisposable
{
    private readonly BilevelSearch _search;
    private readonly SearchData _data;
    private ClipBatch? _pairedTrain;

    private SearchReplica(BilevelSearch search, SearchData data) => (_search, _data) = (search, data);

    public int Classes => _data.Classes;
    public int BatchesPerEpoch => _data.BatchesPerEpoch;
    public int BadClipCount => _data.BadClips.Count;

    /// <summary>
    /// Opens shard <paramref name="shard"/> of <paramref name="shards"/>: decodes its data, builds the seeded
    /// supernet, and continues from <paramref name="checkpoint"/> if given.
    /// </summary>
    public static SearchReplica Open(SearchConfig config, VideoDataset dataset, int shard = 0, int shards = 1, Device? device = null,
        IGradientReducer? reducer = null, string? checkpoint = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var data = new SearchData(dataset, config, shard, shards, logger);
        try
        {
            data.Warm();
            var search = new BilevelSearch(config, data.Classes, device, replicas: reducer);
            if (checkpoint is not null) data.Cursor = SearchCheckpoint.Load(checkpoint, search).Cursor;
            return new SearchReplica(search, data);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <param name="unrollOnNextTrainBatch">Second order: unroll w on the next training batch, which the next <see cref="WeightStep"/> then uses.</param>
    public ReplicaStep ArchStep(bool unrollOnNextTrainBatch) => Timed(() =>
    {
        using var validation = _data.NextArchBatch();
        if (unrollOnNextTrainBatch)
        {
            _pairedTrain?.Dispose();
            _pairedTrain = _data.NextWeightBatch();
        }
        return _search.ArchStep(validation, _pairedTrain);
    });

    public ReplicaStep WeightStep() => Timed(() =>
    {
        // Drawn from the w batch's index, which every shard shares and the checkpoint keeps: all shards train the same path.
        if (_search.Config.SinglePath)
            _search.Model.Path = RandomGenotype.Sample(_search.Config.Primitives, _search.Config.Steps, SinglePathStream(_data.Cursor.WeightBatches));
        using var train = _pairedTrain ?? _data.NextWeightBatch();
        _pairedTrain = null;
        return _search.WeightStep(train);
    });

    public void EndEpoch() => _search.EndEpoch();

    private long SinglePathStream(long batch) => SeedStream.For(_search.Config.Seed, 902, batch).NextInt64();

    public void SaveCheckpoint(string path, long step) => SearchCheckpoint.Save(path, _search, _data.Cursor, step);

    public string AlphasJson() => SearchFiles.ToJson(_search.Model.ExportAlphas());

    public string Checksum() => _search.Checksum();

    /// <summary>Runs a step and splits its time into the all-reduces and the rest (loading, forward, backward, update).</summary>
    private ReplicaStep Timed(Func<StepResult> step)
    {
        long started = Stopwatch.GetTimestamp();
        var replicas = _search.Replicas;
        var (reduceBefore, bytesBefore, overlappedBefore) = (replicas.ReduceSeconds, replicas.ReducedBytes, replicas.OverlappedSeconds);
        var r = step();
        double total = Stopwatch.GetElapsedTime(started).TotalSeconds, reduce = replicas.ReduceSeconds - reduceBefore;
        return new ReplicaStep(r.Loss, r.Accuracy, r.Count, total - reduce, reduce, replicas.ReducedBytes - bytesBefore,
            replicas.OverlappedSeconds - overlappedBefore);
    }

    public void Dispose()
    {
        _search.Dispose();
        _pairedTrain?.Dispose();
        _data.Dispose();
    }
}
