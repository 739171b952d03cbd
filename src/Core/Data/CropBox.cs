namespace VideoNas.Core.Data;

/// <summary>
/// The region of a frame that becomes the network's square input, and whether it is mirrored. One box
/// serves every frame of a clip, so motion is never distorted between frames.
/// </summary>
public readonly record struct CropBox(int X, int Y, int Width, int Height, bool Flip)
{
    /// <summary>TSN's scales of the short side for multi-scale cropping.</summary>
    public static readonly double[] Scales = [1.0, 0.875, 0.75, 0.66];

    /// <summary>The centred square of side <paramref name="size"/> (testing), or the short side when smaller.</summary>
    public static CropBox Center(int width, int height, int size)
    {
        int side = Math.Min(size, Math.Min(width, height));
        return new((width - side) / 2, (height - side) / 2, side, side, false);
    }

    /// <summary>A square of side <paramref name="size"/> at a random position (training without multi-scale).</summary>
    public static CropBox Random(int width, int height, int size, Random random, bool flip)
    {
        int side = Math.Min(size, Math.Min(width, height));
        return new(random.Next(width - side + 1), random.Next(height - side + 1), side, side, flip && random.Next(2) == 1);
    }

    /// <summary>
    /// TSN's multi-scale crop: width and height each one of <see cref="Scales"/> times the short side, at most
    /// one scale step apart (a mild aspect jitter), at a random position; resized to the input size later.
    /// </summary>
    public static CropBox MultiScale(int width, int height, Random random, bool flip)
    {
        int shortSide = Math.Min(width, height);
        var pairs = (from i in Enumerable.Range(0, Scales.Length)
                     from j in Enumerable.Range(0, Scales.Length)
                     where Math.Abs(i - j) <= 1
                     select (W: Side(shortSide, Scales[i]), H: Side(shortSide, Scales[j]))).ToList();
        var (w, h) = pairs[random.Next(pairs.Count)];
        return new(random.Next(width - w + 1), random.Next(height - h + 1), w, h, flip && random.Next(2) == 1);
    }

    private static int Side(int shortSide, double scale) => Math.Max(1, (int)(shortSide * scale));
}
