namespace VideoNas.Core.Data;

/// <summary>
/// The input settings a search config and a training config share (snake_case in their JSON), so both
/// read data the same way and check it with the same rules.
/// </summary>
public abstract record ClipInputConfig
{
    /// <summary>TSN segments K and consecutive frames F sampled per segment.</summary>
    public int Segments { get; init; } = 4;
    public int FramesPerSegment { get; init; } = 2;
    /// <summary>Distance between the frames sampled in one segment (1 = consecutive).</summary>
    public int FrameStride { get; init; } = 1;
    public int Resolution { get; init; } = 112;
    /// <summary>The short side clips are decoded at before cropping; 0 = the resolution (no crop margin).</summary>
    public int ShortSide { get; init; }
    /// <summary>TSN multi-scale random crops for training, instead of a random square of the input size.</summary>
    public bool MultiScaleCrop { get; init; }
    /// <summary>Mirror training clips at random. Off by default: classes defined by direction would swap.</summary>
    public bool Flip { get; init; }
    /// <summary>Keep each clip decoded whole at the short side in memory (later epochs skip decoding); off decodes only the sampled frames at every load.</summary>
    public bool DecodeCache { get; init; } = true;
    /// <summary>
    /// With the cache on, keep the decoded clips in this folder instead of memory (one file per clip, read a
    /// few frames at a time): for datasets whose decoded clips do not fit in memory. Each silo reads its
    /// own path, so use an absolute one, on a local disk.
    /// </summary>
    public string? DecodeCacheDir { get; init; }
    /// <summary>
    /// Memory the in-memory decode cache may hold, in MiB (0 = a quarter of the memory this process may use);
    /// beyond it the least recently used clips are dropped and decoded again when next needed.
    /// </summary>
    public int DecodeCacheMb { get; init; }
    /// <summary>
    /// With <see cref="DecodeCacheDir"/>: the most it may hold, in MiB (0 = no cap); the files stored or first
    /// found by a loader longest ago go first, and a dropped clip is decoded and stored again when needed.
    /// </summary>
    public int DecodeCacheDirMb { get; init; }
    /// <summary>Threads that decode a batch's clips (0 = one per core).</summary>
    public int DecodeWorkers { get; init; }
    /// <summary>Batches loaded ahead of the one in use, on a background thread (0 = load on demand).</summary>
    public int PrefetchBatches { get; init; } = 2;

    public ClipSampling Sampling() => new(Segments, FramesPerSegment, FrameStride, Resolution, ShortSide, MultiScaleCrop, Flip);

    public ClipLoader Loader(VideoDataset dataset, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(dataset, Sampling(), DecodeCache, DecodeWorkers, logger, DecodeCacheDir, (long)DecodeCacheMb << 20, (long)DecodeCacheDirMb << 20);

    /// <param name="require">Fails with the field's snake_case name and the reason when the condition is false.</param>
    protected void ValidateInput(Action<bool, string, string> require)
    {
        require(Segments >= 1, "segments", "must be at least 1");
        require(FramesPerSegment >= 1, "frames_per_segment", "must be at least 1");
        require(FrameStride >= 1, "frame_stride", "must be at least 1");
        // Two reductions halve it twice, and 1×3×3 pools need maps of at least 3×3.
        require(Resolution >= 12, "resolution", "must be at least 12 (after two reductions the 3×3 pools need 3×3 maps)");
        require(ShortSide == 0 || ShortSide >= Resolution, "short_side", $"must be 0 or at least the resolution ({Resolution})");
        require(DecodeWorkers >= 0, "decode_workers", "must not be negative");
        require(DecodeCacheMb >= 0, "decode_cache_mb", "must not be negative (0: a quarter of the memory)");
        require(DecodeCacheDirMb >= 0, "decode_cache_dir_mb", "must not be negative (0: no cap)");
        require(PrefetchBatches >= 0, "prefetch_batches", "must not be negative");
    }
}
