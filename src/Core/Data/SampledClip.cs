namespace VideoNas.Core.Data;

/// <summary>The K×F frames of one sampled clip, cropped and resized to Size×Size, RGB24 in sampling order.</summary>
public sealed record SampledClip(byte[] Rgb, int Frames, int Size)
{
    public ReadOnlySpan<byte> Frame(int index) => Rgb.AsSpan(index * Size * Size * 3, Size * Size * 3);

    /// <summary>
    /// Cuts <paramref name="box"/> out of the given frames of <paramref name="video"/> and resizes it to
    /// <paramref name="size"/>² bilinearly (pixel centres aligned, edges clamped), mirrored when the box says so.
    /// A box of exactly the output size is a plain copy.
    /// </summary>
    public static SampledClip Cut(DecodedVideo video, IReadOnlyList<int> frames, CropBox box, int size)
    {
        if (box.X < 0 || box.Y < 0 || box.X + box.Width > video.Width || box.Y + box.Height > video.Height)
            throw new ArgumentOutOfRangeException(nameof(box), $"{box} does not fit a {video.Width}x{video.Height} frame");
        var (x0, x1, wx) = Taps(box.X, box.Width, size);
        var (y0, y1, wy) = Taps(box.Y, box.Height, size);
        var rgb = new byte[frames.Count * size * size * 3];
        for (int f = 0; f < frames.Count; f++)
        {
            var src = video.Frame(frames[f]);
            int dstFrame = f * size * size * 3;
            for (int oy = 0; oy < size; oy++)
            {
                int row0 = y0[oy] * video.Width, row1 = y1[oy] * video.Width;
                float fy = wy[oy];
                for (int ox = 0; ox < size; ox++)
                {
                    int tx = box.Flip ? size - 1 - ox : ox;
                    float fx = wx[tx];
                    int a = (row0 + x0[tx]) * 3, b = (row0 + x1[tx]) * 3, c = (row1 + x0[tx]) * 3, d = (row1 + x1[tx]) * 3;
                    int dst = dstFrame + (oy * size + ox) * 3;
                    for (int ch = 0; ch < 3; ch++)
                    {
                        float top = src[a + ch] + (src[b + ch] - src[a + ch]) * fx;
                        float bottom = src[c + ch] + (src[d + ch] - src[c + ch]) * fx;
                        rgb[dst + ch] = (byte)(top + (bottom - top) * fy + 0.5f);
                    }
                }
            }
        }
        return new SampledClip(rgb, frames.Count, size);
    }

    /// <summary>For each output position: the two source pixels it lies between and the weight of the second.</summary>
    private static (int[] Lo, int[] Hi, float[] Weight) Taps(int start, int length, int size)
    {
        var lo = new int[size];
        var hi = new int[size];
        var weight = new float[size];
        double scale = (double)length / size;
        for (int o = 0; o < size; o++)
        {
            double s = Math.Clamp((o + 0.5) * scale - 0.5, 0, length - 1);
            int i = (int)Math.Floor(s);
            lo[o] = start + i;
            hi[o] = start + Math.Min(i + 1, length - 1);
            weight[o] = (float)(s - i);
        }
        return (lo, hi, weight);
    }
}
