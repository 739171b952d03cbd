namespace VideoNas.Core.Data;

/// <summary>
/// Reads the binary PPM (P6) frames ffmpeg writes with <c>-f image2pipe -c:v ppm</c>. Each frame states
/// its own size, so a clip can be scaled by aspect ratio without probing its dimensions first.
/// </summary>
public static class PpmFrameReader
{
    /// <summary>The most one decoded clip may take (1 GiB): a longer or larger one is a bad clip, not a failed run.</summary>
    public const long MaxDecodedBytes = 1L << 30;

    /// <summary>Every frame of the stream, RGB24 frame-major; all must share one size.</summary>
    public static DecodedVideo ReadAll(Stream stream, string path)
    {
        using var buffer = new MemoryStream();
        int width = 0, height = 0, frames = 0;
        while (ReadHeader(stream, path) is { } size)
        {
            if (frames > 0 && size != (width, height))
                throw new VideoDecodeException(path, $"frame {frames} is {size.Width}x{size.Height}, earlier frames {width}x{height}");
            (width, height) = size;
            long frameBytes = 3L * width * height;
            if (buffer.Length + frameBytes > MaxDecodedBytes)
                throw new VideoDecodeException(path, $"decodes to more than {MaxDecodedBytes >> 20} MiB ({frames + 1} frames of {width}x{height}); lower short_side or cut the clip");
            int bytes = (int)frameBytes;
            if (buffer.Capacity < buffer.Length + bytes) buffer.Capacity = (int)Math.Max(buffer.Length + bytes, buffer.Capacity * 2L);
            buffer.SetLength(buffer.Length + bytes);
            stream.ReadExactly(buffer.GetBuffer().AsSpan((int)buffer.Length - bytes, bytes));
            frames++;
        }
        return new DecodedVideo(buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray(), frames, width, height);
    }

    /// <summary>The next header's size, or null at the end of the stream.</summary>
    private static (int Width, int Height)? ReadHeader(Stream stream, string path)
    {
        int first = stream.ReadByte();
        if (first < 0) return null;
        if (first != 'P' || stream.ReadByte() != '6') throw new VideoDecodeException(path, "ffmpeg wrote something other than PPM frames");
        int width = ReadNumber(stream, path), height = ReadNumber(stream, path), max = ReadNumber(stream, path);
        if (max != 255 || width < 1 || height < 1) throw new VideoDecodeException(path, $"unexpected PPM frame {width}x{height}, max {max}");
        return (width, height);
    }

    // The header's numbers are separated by whitespace; the single byte after the last one is consumed with it.
    private static int ReadNumber(Stream stream, string path)
    {
        int c;
        do c = stream.ReadByte(); while (c is ' ' or '\n' or '\r' or '\t');
        int value = 0, digits = 0;
        for (; c is >= '0' and <= '9'; c = stream.ReadByte(), digits++) value = value * 10 + (c - '0');
        if (digits == 0) throw new VideoDecodeException(path, "malformed PPM header from ffmpeg");
        return value;
    }
}
