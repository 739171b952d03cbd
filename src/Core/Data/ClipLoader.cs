using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VideoNas.Core.Telemetry;

namespace VideoNas.Core.Data;

/// <summary>
/// Turns dataset clips into <see cref="SampledClip"/>s: TSN frame indices, decoding (video files through
/// ffmpeg, or rawframes JPEGs), crop and flip. With the cache on, each clip is decoded whole once at the
/// short side and kept, so later epochs only read and crop: in memory, or, with a cache directory, on
/// disk (<see cref="DiskClipCache"/>), where a load reads only the frames it samples. With the cache off,
/// each load decodes just the frames it needs, seeking to each segment where the container allows it. A
/// clip that fails to decode is remembered with its reason and skipped by every caller, never fatal on
/// its own. Loads are thread-safe; batches run on <see cref="Workers"/> threads.
/// </summary>
public sealed class ClipLoader(VideoDataset dataset, ClipSampling sampling, bool cache = true, int workers = 0, ILogger? logger = null,
    string? cacheDirectory = null, long cacheBudgetBytes = 0, long diskCacheBytes = 0)
{
    private readonly ConcurrentDictionary<string, Lazy<DecodedVideo?>> _whole = new();
    // The in-memory cache's accounting: bytes per cached clip, when each was last used, and their total.
    private readonly ConcurrentDictionary<string, long> _cachedSizes = new();
    private readonly ConcurrentDictionary<string, long> _lastUse = new();
    private readonly Lock _eviction = new();
    private long _cachedBytes, _clock;
    private readonly ConcurrentDictionary<string, Lazy<DiskClipCache.Entry?>> _onDisk = new();
    private readonly DiskClipCache? _disk = cache && cacheDirectory is not null ? new DiskClipCache(cacheDirectory, sampling.DecodeShortSide, diskCacheBytes) : null;
    private readonly ConcurrentDictionary<string, ClipProbe> _headers = new();
    private readonly ConcurrentDictionary<string, string> _bad = new();
    private readonly ConcurrentDictionary<string, byte> _shortLogged = new();
    private int _decodes;

    public VideoDataset Dataset { get; } = dataset;
    public ClipSampling Sampling { get; } = sampling;
    public bool Cache { get; } = cache;
    public int Workers { get; } = workers > 0 ? workers : Environment.ProcessorCount;
    public IReadOnlyDictionary<string, string> BadClips => _bad;
    /// <summary>Clips shorter than K×F frames, which are sampled with repetition.</summary>
    public int ShortClips => _shortLogged.Count;
    /// <summary>How many times this loader has run a decoder: with a warm cache, none.</summary>
    public int Decodes => _decodes;
    /// <summary>What the in-memory cache may hold; the least recently used clips go beyond it.</summary>
    public long CacheBudgetBytes { get; } = cacheBudgetBytes > 0 ? cacheBudgetBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
    /// <summary>What the in-memory cache holds now.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>One training clip: random offsets in each segment and a random crop, all drawn from <paramref name="seed"/>.</summary>
    public SampledClip? Train(ClipEntry clip, int seed)
    {
        var random = new Random(seed);
        return Load(clip, frames => [TsnSampler.Sample(frames, Sampling.Segments, Sampling.FramesPerSegment, random, Sampling.FrameStride)],
            (w, h) => Sampling.MultiScaleCrop
                ? CropBox.MultiScale(w, h, random, Sampling.Flip)
                : CropBox.Random(w, h, Sampling.Resolution, random, Sampling.Flip))?[0];
    }

    /// <summary><paramref name="clips"/> uniformly spaced test clips of one video, centre-cropped, from one decode.</summary>
    public IReadOnlyList<SampledClip>? Test(ClipEntry clip, int clips) =>
        Load(clip, frames => Enumerable.Range(0, clips)
                .Select(j => TsnSampler.SampleTestClip(frames, Sampling.Segments, Sampling.FramesPerSegment, Sampling.FrameStride, j, clips)).ToList(),
            (w, h) => CropBox.Center(w, h, Sampling.Resolution));

    /// <summary>
    /// Training clips loaded on <see cref="Workers"/> threads, each with its own seed, so the result is the
    /// same however the threads interleave. Clips that fail to decode are left out.
    /// </summary>
    public List<(ClipEntry Clip, SampledClip Sample)> TrainBatch(IReadOnlyList<(ClipEntry Clip, int Seed)> clips)
    {
        var loaded = new SampledClip?[clips.Count];
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i => loaded[i] = Train(clips[i].Clip, clips[i].Seed));
        return clips.Zip(loaded).Where(x => x.Second is not null).Select(x => (x.First.Clip, x.Second!)).ToList();
    }

    /// <summary>Test clips of several videos, loaded on <see cref="Workers"/> threads; null where a video failed to decode.</summary>
    public IReadOnlyList<SampledClip>?[] TestBatch(IReadOnlyList<ClipEntry> videos, int clips)
    {
        var loaded = new IReadOnlyList<SampledClip>?[videos.Count];
        Parallel.For(0, videos.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i => loaded[i] = Test(videos[i], clips));
        return loaded;
    }

    /// <summary>
    /// With the cache on, decodes the given clips whole, in parallel; with it off, reads each clip's
    /// frame count (a header probe), which finds missing and unreadable files up front.
    /// </summary>
    public void Warm(IReadOnlyCollection<ClipEntry> clips, Action<int, int>? progress = null)
    {
        int done = 0;
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Workers }, clip =>
        {
            if (_disk is not null) OnDisk(clip);
            else if (Cache) Whole(clip);
            else Guard(clip, () => (object)FrameCount(clip));
            progress?.Invoke(Interlocked.Increment(ref done), clips.Count);
        });
    }

    private IReadOnlyList<SampledClip>? Load(ClipEntry clip, Func<int, IReadOnlyList<int[]>> indices, Func<int, int, CropBox> crop) => Guard(clip, () =>
    {
        VideoNasTelemetry.ClipsLoaded.Add(1);
        DecodedVideo? video;
        IReadOnlyList<int[]> wanted;
        Func<int, int> position = f => f;
        int count;
        if (_disk is not null)
        {
            if (OnDisk(clip) is not { } entry) return null;
            wanted = indices(count = entry.Frames);
            try
            {
                (video, position) = Selected(wanted, distinct => DiskClipCache.Read(entry, distinct));
            }
            catch (FileNotFoundException)
            {
                // The cache's size cap dropped the file since this loader found it: store it again.
                _onDisk.TryRemove(clip.RelativePath, out _);
                if (OnDisk(clip) is not { } again) return null;
                (video, position) = Selected(wanted, distinct => DiskClipCache.Read(again, distinct));
            }
        }
        else if (Cache)
        {
            if ((video = Whole(clip)) is null) return null;
            wanted = indices(count = video.Frames);
        }
        else if ((count = FrameCount(clip)) == 0)
        {
            // The container does not say how long it is: decode it whole, once for this load.
            video = Decode(clip, null);
            wanted = indices(count = video.Frames);
        }
        else
        {
            wanted = indices(count);
            (video, position) = Selected(wanted, distinct => Decode(clip, distinct));
        }
        NoteIfShort(clip, count);
        var box = crop(video.Width, video.Height);
        return wanted.Select(w => SampledClip.Cut(video, w.Select(position).ToArray(), box, Sampling.Resolution)).ToList();
    });

    /// <summary>Reads the frames the sampled clips use, once each, and says where each frame landed.</summary>
    private static (DecodedVideo, Func<int, int>) Selected(IReadOnlyList<int[]> wanted, Func<int[], DecodedVideo> read)
    {
        var distinct = wanted.SelectMany(x => x).Distinct().Order().ToArray();
        return (read(distinct), f => Array.BinarySearch(distinct, f));
    }

    /// <summary>The clip's disk-cache entry (decoded and stored on first use), found once per loader; null when it cannot be decoded.</summary>
    private DiskClipCache.Entry? OnDisk(ClipEntry clip) =>
        _onDisk.GetOrAdd(clip.RelativePath, _ => new Lazy<DiskClipCache.Entry?>(() =>
        {
            string path = Dataset.FullPath(clip);
            if (_disk!.Find(path) is { } cached) return cached;
            return Guard(clip, () => Decode(clip, null)) is { } video ? _disk.Store(path, video) : null;
        })).Value;

    private DecodedVideo? Whole(ClipEntry clip)
    {
        var video = _whole.GetOrAdd(clip.RelativePath, _ => new Lazy<DecodedVideo?>(() => Guard(clip, () => Decode(clip, null)))).Value;
        _lastUse[clip.RelativePath] = Interlocked.Increment(ref _clock);
        if (video is not null && _cachedSizes.TryAdd(clip.RelativePath, video.Rgb.Length))
        {
            Interlocked.Add(ref _cachedBytes, video.Rgb.Length);
            EvictBeyondBudget(clip.RelativePath);
        }
        return video;
    }

    /// <summary>Drops the least recently used clips (never <paramref name="keep"/>, in use now) until the cache fits its budget.</summary>
    private void EvictBeyondBudget(string keep)
    {
        lock (_eviction)
        {
            while (CachedBytes > CacheBudgetBytes)
            {
                var victim = _cachedSizes.Keys.Where(k => k != keep).MinBy(k => _lastUse.GetValueOrDefault(k));
                if (victim is null || !_cachedSizes.TryRemove(victim, out long bytes)) return;
                _whole.TryRemove(victim, out _);
                Interlocked.Add(ref _cachedBytes, -bytes);
            }
        }
    }

    private DecodedVideo Decode(ClipEntry clip, IReadOnlyList<int>? frames)
    {
        Interlocked.Increment(ref _decodes);
        VideoNasTelemetry.ClipsDecoded.Add(1);
        string path = Dataset.FullPath(clip);
        if (Dataset.Format == ClipFormat.RawFrames)
            return RawFrameReader.Decode(path, Sampling.DecodeShortSide, frames ?? Enumerable.Range(0, clip.Frames).ToArray());
        return frames is null || !_headers.TryGetValue(clip.RelativePath, out var header)
            ? Ffmpeg.Decode(path, Sampling.DecodeShortSide, frames)
            : Ffmpeg.DecodeSeeking(path, Sampling.DecodeShortSide, frames, header.Fps);
    }

    private int FrameCount(ClipEntry clip) => clip.Frames > 0
        ? clip.Frames
        : _headers.GetOrAdd(clip.RelativePath, _ => Ffprobe.Header(Dataset.FullPath(clip))).Frames;

    private void NoteIfShort(ClipEntry clip, int frames)
    {
        if (!TsnSampler.NeedsRepetition(frames, Sampling.Segments, Sampling.FramesPerSegment, Sampling.FrameStride)) return;
        if (_shortLogged.TryAdd(clip.RelativePath, 0))
            logger?.LogWarning("{Clip}: {Frames} frames, fewer than {Segments} segments × {FramesPerSegment} frames (stride {Stride}) need; " +
                "sampled with repetition (said once per clip)", Dataset.FullPath(clip), frames, Sampling.Segments, Sampling.FramesPerSegment, Sampling.FrameStride);
    }

    private T? Guard<T>(ClipEntry clip, Func<T> load) where T : class?
    {
        if (_bad.ContainsKey(clip.RelativePath)) return null;
        try
        {
            return load();
        }
        catch (VideoDecodeException e)
        {
            if (_bad.TryAdd(clip.RelativePath, e.Reason)) VideoNasTelemetry.BadClips.Add(1);
            return null;
        }
    }
}
