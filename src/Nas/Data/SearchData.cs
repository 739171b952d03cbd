using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Data;

/// <summary>
/// Feeds a search: the training list is split once, by seed, into two disjoint halves (w and α);
/// the test list is never touched. A clip that fails to decode is skipped and counted, and the search
/// stops only when the bad fraction passes the configured limit. Each half loads its batches on a
/// background thread ahead of use (<c>prefetch_batches</c>), decoding a batch's clips in parallel.
/// As shard <c>i</c> of <c>n</c> it draws the same global batches as every other shard (same seed, same
/// cursors; batch n of a half draws its per-clip seeds from its own stream, <see cref="SeedStream"/>),
/// then loads only the i-th of n equal slices, so n shards together see exactly the clips one shard would.
/// A clip known to be bad is left out of the window before slicing; with the decode cache on, every clip
/// is decoded by <see cref="Warm"/>, so every shard knows the same bad clips and slices alike.
/// </summary>
public sealed class SearchData : IDisposable
{
    private const int WeightHalf = 1, ArchHalf = 2;
    private readonly ClipLoader _loader;
    private readonly int _batchSize;
    private readonly double _maxBadFraction;
    private readonly int _shard, _shards, _prefetch;
    private readonly long _seed;
    private DataCursor _start = new(0, 0, 0, 0);
    // Started at the first batch, not before: loading ahead must not race Warm over which clips are bad.
    private Prefetcher<HalfCursor, List<(ClipEntry Clip, SampledClip Sample)>>? _weights, _arch;

    public IReadOnlyList<ClipEntry> WeightSplit { get; }
    public IReadOnlyList<ClipEntry> ArchSplit { get; }
    public IReadOnlyDictionary<string, string> BadClips => _loader.BadClips;
    public int Classes => _loader.Dataset.Classes.Count;

    public SearchData(VideoDataset dataset, SearchConfig config, int shard = 0, int shards = 1, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        if (dataset.Train.Count < 2) throw new ArgumentException($"{dataset.Root}: the training list needs at least 2 clips to split for search");
        if (shards < 1 || shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} of {shards}");
        if (config.BatchSize % shards != 0)
            throw new ArgumentException($"batch_size {config.BatchSize} cannot be split evenly over {shards} shards");
        (_shard, _shards, _prefetch) = (shard, shards, config.PrefetchBatches);
        _loader = config.Loader(dataset, logger);
        (_batchSize, _maxBadFraction, _seed) = (config.BatchSize, config.MaxBadClipFraction, config.Seed);
        var shuffled = dataset.Train.OrderBy(c => c.RelativePath, StringComparer.Ordinal).ToArray();
        new Random(unchecked((int)(_seed * 31 + 7))).Shuffle(shuffled);
        WeightSplit = shuffled.Where((_, i) => i % 2 == 0).ToList();
        ArchSplit = shuffled.Where((_, i) => i % 2 == 1).ToList();
    }

    /// <summary>Batches per epoch: a full pass over the smaller half.</summary>
    public int BatchesPerEpoch => Math.Max(1, Math.Min(WeightSplit.Count, ArchSplit.Count) / _batchSize);

    /// <summary>
    /// Where both halves stand after the batches handed out so far; with the seed it fixes every later
    /// batch, so a checkpoint stores it. Setting it drops whatever was loaded ahead.
    /// </summary>
    public DataCursor Cursor
    {
        get => _weights is null || _arch is null
            ? _start
            : new(_weights.State.Position, _arch.State.Position, _weights.State.Batches, _arch.State.Batches);
        set
        {
            if (value.WeightPosition < 0 || value.WeightPosition >= WeightSplit.Count || value.ArchPosition < 0 || value.ArchPosition >= ArchSplit.Count
                || value.WeightBatches < 0 || value.ArchBatches < 0)
                throw new ArgumentOutOfRangeException(nameof(value), $"data cursor {value} does not fit halves of {WeightSplit.Count} and {ArchSplit.Count} clips");
            StopPrefetching();
            _start = value;
        }
    }

    public ClipBatch NextWeightBatch()
    {
        StartPrefetching();
        return ClipTensorizer.ToBatch(_weights!.Next(), _loader.Sampling);
    }

    public ClipBatch NextArchBatch()
    {
        StartPrefetching();
        return ClipTensorizer.ToBatch(_arch!.Next(), _loader.Sampling);
    }

    /// <summary>
    /// Decodes every clip of both halves once (with the decode cache; else reads their headers), so the
    /// first epoch's timing is not dominated by ffmpeg, and refuses the data, naming the bad files, when
    /// more than the configured fraction fails.
    /// </summary>
    public void Warm(Action<int, int>? progress = null)
    {
        _loader.Warm(WeightSplit.Concat(ArchSplit).ToList(), progress);
        CheckBadFraction();
    }

    private void StartPrefetching()
    {
        if (_weights is not null) return;
        _weights = new(new HalfCursor(_start.WeightPosition, _start.WeightBatches), at => Load(WeightSplit, WeightHalf, at), _prefetch);
        _arch = new(new HalfCursor(_start.ArchPosition, _start.ArchBatches), at => Load(ArchSplit, ArchHalf, at), _prefetch);
    }

    private (List<(ClipEntry, SampledClip)>, HalfCursor) Load(IReadOnlyList<ClipEntry> split, int half, HalfCursor at)
    {
        var random = SeedStream.For(_seed, half, at.Batches);
        int position = at.Position;
        for (int windows = 0; windows < split.Count; windows++)
        {
            var window = new List<(ClipEntry, int)>(_batchSize);
            for (int tries = 0; window.Count < _batchSize && tries < split.Count; tries++)
            {
                var clip = split[position];
                position = (position + 1) % split.Count;
                if (!BadClips.ContainsKey(clip.RelativePath)) window.Add((clip, random.Next()));
            }
            if (window.Count == 0) break;
            int start = window.Count * _shard / _shards, end = window.Count * (_shard + 1) / _shards;
            var loaded = _loader.TrainBatch(window[start..end]);
            CheckBadFraction();
            if (loaded.Count > 0) return (loaded, new HalfCursor(position, at.Batches + 1));
        }
        throw new InvalidDataException($"{_loader.Dataset.Root}: no clip of this split could be decoded ({BadClips.Count} bad)");
    }

    private void CheckBadFraction()
    {
        int bad = BadClips.Count, all = WeightSplit.Count + ArchSplit.Count;
        if (bad <= _maxBadFraction * all) return;
        var examples = BadClips.OrderBy(b => b.Key, StringComparer.Ordinal).Take(5).Select(b => $"{b.Key}: {b.Value}");
        throw new InvalidDataException(
            $"{_loader.Dataset.Root}: {bad} of {all} training clips could not be decoded ({(double)bad / all:P1}, " +
            $"more than max_bad_clip_fraction {_maxBadFraction:P1}); first: {string.Join("; ", examples)}");
    }

    private void StopPrefetching()
    {
        _start = Cursor;
        _weights?.Dispose();
        _arch?.Dispose();
        (_weights, _arch) = (null, null);
    }

    public void Dispose() => StopPrefetching();

    private readonly record struct HalfCursor(int Position, long Batches);
}

/// <summary>The next clip of each half and how many batches each has drawn (which picks the batch's random stream).</summary>
public sealed record DataCursor(int WeightPosition, int ArchPosition, long WeightBatches, long ArchBatches);
