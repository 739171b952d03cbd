namespace VideoNas.Core.Data;

/// <summary>
/// What a clip becomes before the network sees it: K segments of F frames (TSN), the short side scaled
/// to <see cref="ShortSide"/>, then a square crop resized to <see cref="Resolution"/>: multi-scale and
/// random for training when <see cref="MultiScaleCrop"/> is on (else a random square), centred for testing;
/// optionally mirrored for training (off by default: some classes are defined by their direction).
/// </summary>
public sealed record ClipSampling(
    int Segments, int FramesPerSegment, int FrameStride, int Resolution,
    int ShortSide = 0, bool MultiScaleCrop = false, bool Flip = false)
{
    /// <summary>The side the decoder scales the short side to; 0 means the input resolution (no crop margin).</summary>
    public int DecodeShortSide => ShortSide > 0 ? ShortSide : Resolution;

    public int FramesPerClip => Segments * FramesPerSegment;
}
