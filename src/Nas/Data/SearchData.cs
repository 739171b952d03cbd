using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Nas.Search;
using static TorchSharp.torch;

namespace VideoNas.Nas.Data;

/// <summary>
/// Feeds a search: the training list is split once, by seed, into two disjoint halves (w and α);
/// the test list is never touched. Decoded clips are cached at the search resolution. A clip that
/// fails to decode is skipped and counted, never fatal on its own. As shard <c>i</c> of <c>n</c> it draws
/// the same global batches as every other shard (same seed, same cursors, same random offsets: batch n
/// of a half draws its offsets from its own stream, <see cref="SeedStream"/>) and keeps
/// the i-th of n equal slices, so n shards together see exactly the clips one shard would.
/// </summary>
public sealed class SearchData
{
    private readonly DecodedClipCache _cache;
    private readonly int _segments, _framesPerSegment, _frameStride, _batchSize;
    private readonly double _maxBadFraction;
    private readonly int _shard, _shards;
    private readonly long _seed;
    private DataCursor _cursor = new(0, 0, 0, 0);

    public IReadOnlyList<ClipEntry> WeightSplit { get; }
    public IReadOnlyList<ClipEntry> ArchSplit { get; }
    public IReadOnlyDictionary<string, string> BadClips => _cache.BadClips;
    public int Classes => _cache.Dataset.Classes.Count;

    public SearchData(VideoDataset dataset, SearchConfig config, int shard = 0, int shards = 1)
    {
        if (dataset.Train.Count < 2) throw new ArgumentException($"{dataset.Root}: the training list needs at least 2 clips to split for search");
        if (shards < 1 || shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} of {shards}");
        if (config.BatchSize % shards != 0)
            throw new ArgumentException($"batch_size {config.BatchSize} cannot be split evenly over {shards} shards");
        (_shard, _shards) = (shard, shards);
        _cache = new DecodedClipCache(dataset, config.Resolution);
        (_segments, _framesPerSegment, _frameStride, _batchSize, _maxBadFraction) =
            (config.Segments, config.FramesPerSegment, config.FrameStride, config.BatchSize, config.MaxBadClipFraction);
        long seed = _seed = config.Seed;
        var shuffled = dataset.Train.OrderBy(c => c.RelativePath, StringComparer.Ordinal).ToArray();
        new Random(unchecked((int)(seed * 31 + 7))).Shuffle(shuffled);
        WeightSplit = shuffled.Where((_, i) => i % 2 == 0).ToList();
        ArchSplit = shuffled.Where((_, i) => i % 2 == 1).ToList();
    }

    /// <summary>Batches per epoch: a full pass over the smaller half.</summary>
    public int BatchesPerEpoch => Math.Max(1, Math.Min(WeightSplit.Count, ArchSplit.Count) / _batchSize);

    /// <summary>Where both halves stand; with the seed it fixes every later batch, so a checkpoint stores it.</summary>
    public DataCursor Cursor
    {
        get => _cursor;
        set
        {
            if (value.WeightPosition < 0 || value.WeightPosition >= WeightSplit.Count || value.ArchPosition < 0 || value.ArchPosition >= ArchSplit.Count
                || value.WeightBatches < 0 || value.ArchBatches < 0)
                throw new ArgumentOutOfRangeException(nameof(value), $"data cursor {value} does not fit halves of {WeightSplit.Count} and {ArchSplit.Count} clips");
            _cursor = value;
        }
    }

    public ClipBatch NextWeightBatch()
    {
        var (batch, position) = NextBatch(WeightSplit, _cursor.WeightPosition, SeedStream.For(_seed, 1, _cursor.WeightBatches));
        _cursor = _cursor with { WeightPosition = position, WeightBatches = _cursor.WeightBatches + 1 };
        return batch;
    }

    public ClipBatch NextArchBatch()
    {
        var (batch, position) = NextBatch(ArchSplit, _cursor.ArchPosition, SeedStream.For(_seed, 2, _cursor.ArchBatches));
        _cursor = _cursor with { ArchPosition = position, ArchBatches = _cursor.ArchBatches + 1 };
        return batch;
    }

    /// <summary>
    /// Decodes every clip of both halves once, so the first epoch's timing is not dominated by ffmpeg,
    /// and refuses the data, naming the bad files, when more than the configured fraction fails.
    /// </summary>
    public void Warm(Action<int, int>? progress = null)
    {
        var all = WeightSplit.Concat(ArchSplit).ToList();
        _cache.Warm(all, progress);
        int bad = BadClips.Count;
        if (bad > _maxBadFraction * all.Count)
        {
            var examples = BadClips.OrderBy(b => b.Key, StringComparer.Ordinal).Take(5).Select(b => $"{b.Key}: {b.Value}");
            throw new InvalidDataException(
                $"{_cache.Dataset.Root}: {bad} of {all.Count} training clips could not be decoded ({(double)bad / all.Count:P1}, " +
                $"more than max_bad_clip_fraction {_maxBadFraction:P1}); first: {string.Join("; ", examples)}");
        }
    }

    private (ClipBatch Batch, int Cursor) NextBatch(IReadOnlyList<ClipEntry> split, int cursor, Random random)
    {
        var picked = new List<(DecodedVideo, int[])>(_batchSize);
        var labels = new List<long>(_batchSize);
        for (int tries = 0; picked.Count < _batchSize && tries < split.Count; tries++)
        {
            var clip = split[cursor];
            cursor = (cursor + 1) % split.Count;
            if (_cache.Get(clip) is not { } video) continue;
            picked.Add((video, TsnSampler.Sample(video.Frames, _segments, _framesPerSegment, random, _frameStride)));
            labels.Add(clip.Label);
        }
        if (picked.Count == 0) throw new InvalidDataException($"{_cache.Dataset.Root}: no clip of this split could be decoded ({BadClips.Count} bad)");
        int start = picked.Count * _shard / _shards, end = picked.Count * (_shard + 1) / _shards;
        return (new ClipBatch(ClipTensorizer.ToTensor(picked[start..end], _segments, _framesPerSegment), tensor(labels[start..end].ToArray())), cursor);
    }
}

/// <summary>The next clip of each half and how many batches each has drawn (which picks the batch's random stream).</summary>
public sealed record DataCursor(int WeightPosition, int ArchPosition, long WeightBatches, long ArchBatches);
