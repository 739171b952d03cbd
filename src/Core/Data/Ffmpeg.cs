using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace VideoNas.Core.Data;

/// <summary>Runs the ffmpeg binary (Debian's package) through pipes. Every failure names the file.</summary>
public static class Ffmpeg
{
    public static string Executable => Environment.GetEnvironmentVariable("VIDEONAS_FFMPEG") is { Length: > 0 } p ? p : "ffmpeg";

    /// <summary>ffprobe beside the configured ffmpeg, or from PATH.</summary>
    public static string ProbeExecutable =>
        Path.GetDirectoryName(Executable) is { Length: > 0 } dir ? Path.Combine(dir, "ffprobe") : "ffprobe";

    /// <summary>
    /// How long one ffmpeg or ffprobe run may take before it is killed (a FIFO, a pathological file):
    /// VIDEONAS_DECODE_TIMEOUT seconds, default 300. The clip then fails as any undecodable clip does.
    /// </summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("VIDEONAS_DECODE_TIMEOUT"), CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 300);

    private static readonly ConditionalWeakTable<Process, object> Killed = [];

    /// <summary>Why a finished run failed: killed at the deadline, or its exit code and first error line.</summary>
    public static string Failure(Process process, string errors) => Killed.TryGetValue(process, out _)
        ? $"{Path.GetFileName(process.StartInfo.FileName)} did not finish within {Timeout.TotalSeconds:0.#} s (VIDEONAS_DECODE_TIMEOUT) and was killed"
        : $"{Path.GetFileName(process.StartInfo.FileName)} exited with {process.ExitCode}: {FirstLine(errors)}";

    /// <summary>Starts ffmpeg (or <paramref name="executable"/>), to be killed if it runs past <see cref="Timeout"/>.</summary>
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
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
            KillAfter(process, Timeout);
            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException(
                $"could not run '{executable}' ({e.Message}); install it (Debian: apt-get install ffmpeg) or set VIDEONAS_FFMPEG", e);
        }
    }

    /// <summary>
    /// Decodes <paramref name="path"/> to RGB24 with its short side scaled to <paramref name="shortSide"/>
    /// (aspect ratio kept; 0 keeps the stored size). With <paramref name="frames"/>, only those frames
    /// (0-based, ascending, distinct) are converted and returned; the ones before the last are decoded
    /// and dropped, the ones after it are not decoded.
    /// </summary>
    public static DecodedVideo Decode(string path, int shortSide, IReadOnlyList<int>? frames = null)
    {
        if (!File.Exists(path)) throw new VideoDecodeException(path, "file not found");
        var filters = new List<string>();
        if (frames is not null) filters.Add(Select(frames));
        if (shortSide > 0) filters.Add(ScaleShortSide(shortSide));
        var arguments = new List<string> { "-nostdin", "-v", "error", "-i", path };
        if (filters.Count > 0) arguments.AddRange(["-vf", string.Join(",", filters)]);
        // Stop once the last wanted frame is out: the rest of the clip is never decoded.
        arguments.AddRange(PpmToStdout(frames?.Count));
        using var process = Start(arguments, redirectInput: false);
        return ReadFrames(process, path, frames?.Count);
    }

    /// <summary>
    /// Like <see cref="Decode"/> with frames, but each run of nearby frames (<see cref="SeekWindows"/>) is
    /// its own input that starts with a seek to its first frame, so the gaps between TSN's segments are
    /// never decoded. Only for AVI: frame i of an AVI is at time i / fps exactly, which is what lets a
    /// frame index become a seek position. Elsewhere (variable frame rates) it decodes as <see cref="Decode"/>.
    /// </summary>
    public static DecodedVideo DecodeSeeking(string path, int shortSide, IReadOnlyList<int> frames, double fps)
    {
        var windows = SeekWindows.Of(frames);
        if (fps <= 0 || !SeekWindows.Worthwhile(windows) || !Path.GetExtension(path).Equals(".avi", StringComparison.OrdinalIgnoreCase))
            return Decode(path, shortSide, frames);
        if (!File.Exists(path)) throw new VideoDecodeException(path, "file not found");
        var arguments = new List<string> { "-nostdin", "-v", "error" };
        var graph = new List<string>();
        for (int w = 0; w < windows.Count; w++)
        {
            int first = windows[w][0];
            // Half a frame early: the accurate seek keeps the first frame at or after the position, which is frame `first`.
            double at = Math.Max(0, (first - 0.5) / fps);
            arguments.AddRange(["-ss", at.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), "-i", path]);
            // trim ends the input after the run's last frame, so its decoding stops there too.
            graph.Add($"[{w}:v]trim=end_frame={windows[w][^1] - first + 1},{Select(windows[w].Select(f => f - first))}" +
                $"{(shortSide > 0 ? "," + ScaleShortSide(shortSide) : "")}[v{w}]");
        }
        graph.Add($"{string.Concat(Enumerable.Range(0, windows.Count).Select(w => $"[v{w}]"))}concat=n={windows.Count}:v=1:a=0[out]");
        arguments.AddRange(["-filter_complex", string.Join(";", graph), "-map", "[out]", .. PpmToStdout(frames.Count)]);
        using var process = Start(arguments, redirectInput: false);
        return ReadFrames(process, path, frames.Count);
    }

    /// <summary>The select filter that passes the frames numbered <paramref name="frames"/> (0-based, counted at its input).</summary>
    private static string Select(IEnumerable<int> frames) => $"select='{string.Join("+", frames.Select(f => $"eq(n\\,{f})"))}'";

    /// <summary>
    /// Output options: every frame as it comes (without passthrough ffmpeg may duplicate or drop frames to
    /// keep a constant rate), at most <paramref name="frames"/> of them, as PPM on stdout for <see cref="ReadFrames"/>.
    /// </summary>
    public static string[] PpmToStdout(int? frames = null) =>
        [.. frames is { } n ? new[] { "-frames:v", $"{n}" } : [], "-fps_mode", "passthrough", "-f", "image2pipe", "-c:v", "ppm", "pipe:1"];

    /// <summary>The scale filter that brings the short side to <paramref name="size"/> and keeps the aspect ratio.</summary>
    public static string ScaleShortSide(int size) => $"scale=w={size}:h={size}:force_original_aspect_ratio=increase";

    private static void KillAfter(Process process, TimeSpan limit)
    {
        var deadline = new CancellationTokenSource(limit);
        deadline.Token.Register(() =>
        {
            try
            {
                if (process.HasExited) return;
                Killed.AddOrUpdate(process, true);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended (or was disposed) just now.
            }
        });
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => deadline.Dispose();
    }

    /// <summary>Reads the PPM frames a started ffmpeg writes, failing with its stderr when it fails or writes too few.</summary>
    public static DecodedVideo ReadFrames(Process process, string path, int? expected)
    {
        var stderr = process.StandardError.ReadToEndAsync();
        DecodedVideo video;
        try
        {
            video = PpmFrameReader.ReadAll(new BufferedStream(process.StandardOutput.BaseStream, 1 << 16), path);
        }
        catch
        {
            // The rest of the output is of no use: stop the decoder instead of reading it to the end.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw;
        }
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
        process.WaitForExit();
        string errors = stderr.Result.Trim();
        if (process.ExitCode != 0)
            throw new VideoDecodeException(path, Failure(process, errors));
        if (video.Frames == 0) throw new VideoDecodeException(path, errors.Length > 0 ? $"no frames decoded: {FirstLine(errors)}" : "no frames decoded");
        if (expected is { } n && video.Frames != n)
            throw new VideoDecodeException(path, $"truncated: {video.Frames} of the {n} requested frames decoded" + (errors.Length > 0 ? $" ({FirstLine(errors)})" : ""));
        return video;
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
