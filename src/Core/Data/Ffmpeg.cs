using System.Diagnostics;

namespace VideoNas.Core.Data;

/// <summary>Runs the ffmpeg binary (Debian's package) through pipes. Every failure names the file.</summary>
public static class Ffmpeg
{
    public static string Executable => Environment.GetEnvironmentVariable("VIDEONAS_FFMPEG") is { Length: > 0 } p ? p : "ffmpeg";

    /// <summary>ffprobe beside the configured ffmpeg, or from PATH.</summary>
    public static string ProbeExecutable =>
        Path.GetDirectoryName(Executable) is { Length: > 0 } dir ? Path.Combine(dir, "ffprobe") : "ffprobe";

    public static Process Start(IEnumerable<string> arguments, bool redirectInput, string? executable = null)
    {
        executable ??= Executable;
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException(
                $"could not run '{executable}' ({e.Message}); install it (Debian: apt-get install ffmpeg) or set VIDEONAS_FFMPEG", e);
        }
    }

    /// <summary>
    /// Decodes every frame of <paramref name="path"/> scaled to width×height RGB24.
    /// </summary>
    public static DecodedVideo Decode(string path, int width, int height)
    {
        if (!File.Exists(path)) throw new VideoDecodeException(path, "file not found");
        using var process = Start(["-nostdin", "-v", "error", "-i", path, "-vf", $"scale={width}:{height}",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], redirectInput: false);
        var stderr = process.StandardError.ReadToEndAsync();
        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        string errors = stderr.Result.Trim();
        if (process.ExitCode != 0)
            throw new VideoDecodeException(path, $"ffmpeg exited with {process.ExitCode}: {FirstLine(errors)}");
        int frameBytes = width * height * 3;
        int frames = (int)(buffer.Length / frameBytes);
        if (frames == 0) throw new VideoDecodeException(path, errors.Length > 0 ? $"no frames decoded: {FirstLine(errors)}" : "no frames decoded");
        return new DecodedVideo(buffer.GetBuffer().AsSpan(0, frames * frameBytes).ToArray(), frames, width, height);
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}

/// <summary>Frames of one clip, RGB24, frame-major.</summary>
public sealed record DecodedVideo(byte[] Rgb, int Frames, int Width, int Height)
{
    public int FrameBytes => Width * Height * 3;
    public ReadOnlySpan<byte> Frame(int index) => Rgb.AsSpan(index * FrameBytes, FrameBytes);
}

public sealed class VideoDecodeException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
