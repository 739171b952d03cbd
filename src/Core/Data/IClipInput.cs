namespace VideoNas.Core.Data;

/// <summary>
/// The input settings a search config and a training config share, so both read data the same way
/// and check it with the same rules.
/// </summary>
public interface IClipInput
{
    int Segments { get; }
    int FramesPerSegment { get; }
    int FrameStride { get; }
    int Resolution { get; }
    /// <summary>The short side clips are decoded at before cropping; 0 = the resolution (no crop margin).</summary>
    int ShortSide { get; }
    /// <summary>TSN multi-scale random crops for training, instead of a random square of the input size.</summary>
    bool MultiScaleCrop { get; }
    /// <summary>Mirror training clips at random. Off by default: classes defined by direction would swap.</summary>
    bool Flip { get; }
    /// <summary>Keep each clip decoded whole at the short side in memory (later epochs skip decoding); off decodes only the sampled frames at every load.</summary>
    bool DecodeCache { get; }
    /// <summary>Threads that decode a batch's clips (0 = one per core).</summary>
    int DecodeWorkers { get; }
    /// <summary>Batches loaded ahead of the one in use, on a background thread (0 = load on demand).</summary>
    int PrefetchBatches { get; }
}

public static class ClipInput
{
    public static ClipSampling Sampling(this IClipInput c) =>
        new(c.Segments, c.FramesPerSegment, c.FrameStride, c.Resolution, c.ShortSide, c.MultiScaleCrop, c.Flip);

    public static ClipLoader Loader(this IClipInput c, VideoDataset dataset, Action<string>? log = null) =>
        new(dataset, c.Sampling(), c.DecodeCache, c.DecodeWorkers, log);

    /// <param name="require">Fails with the field's snake_case name and the reason when the condition is false.</param>
    public static void Validate(this IClipInput c, Action<bool, string, string> require)
    {
        require(c.Segments >= 1, "segments", "must be at least 1");
        require(c.FramesPerSegment >= 1, "frames_per_segment", "must be at least 1");
        require(c.FrameStride >= 1, "frame_stride", "must be at least 1");
        // Two reductions halve it twice, and 1×3×3 pools need maps of at least 3×3.
        require(c.Resolution >= 12, "resolution", "must be at least 12 (after two reductions the 3×3 pools need 3×3 maps)");
        require(c.ShortSide == 0 || c.ShortSide >= c.Resolution, "short_side", $"must be 0 or at least the resolution ({c.Resolution})");
        require(c.DecodeWorkers >= 0, "decode_workers", "must not be negative");
        require(c.PrefetchBatches >= 0, "prefetch_batches", "must not be negative");
    }
}
