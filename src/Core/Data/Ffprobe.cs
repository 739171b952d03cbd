using System.Globalization;

namespace VideoNas.Core.Data;

/// <summary>What ffprobe reads from a clip's first video stream, with every frame decoded and counted.</summary>
public sealed record ClipProbe(int Frames, double Fps, int Width, int Height);

public static class Ffprobe
{
    /// <summary>
    /// Decodes the whole stream to count frames, so a truncated or corrupt file is caught, not just a bad
    /// header. Any decoder complaint makes the clip bad, with ffprobe's first line as the reason.
    /// </summary>
    public static ClipProbe Probe(string path)
    {
        var (fields, errors) = Run(path, countFrames: true);
        int frames = int.TryParse(fields.GetValueOrDefault("nb_read_frames"), out int f) ? f : 0;
        // A file cut short can decode cleanly up to the cut (or, with some ffmpeg builds, not at all);
        // the container header still declares the full length.
        if (int.TryParse(fields.GetValueOrDefault("nb_frames"), out int declared) && declared > frames)
            throw new VideoDecodeException(path, $"truncated: {frames} of {declared} frames decodable");
        if (frames == 0) throw new VideoDecodeException(path, "no frames");
        if (errors.Length > 0) throw new VideoDecodeException(path, $"corrupt or truncated: {FirstLine(errors)}");
        return ToProbe(fields, frames);
    }

    /// <summary>
    /// What the container's header says, without decoding: cheap enough to call before sampling a clip.
    /// Frames is 0 where the container does not state a count (Matroska, WebM).
    /// </summary>
    public static ClipProbe Header(string path)
    {
        var (fields, _) = Run(path, countFrames: false);
        return ToProbe(fields, int.TryParse(fields.GetValueOrDefault("nb_frames"), out int n) ? n : 0);
    }

    private static (Dictionary<string, string> Fields, string Errors) Run(string path, bool countFrames)
    {
        if (!File.Exists(path)) throw new VideoDecodeException(path, "missing file");
        if (new FileInfo(path).Length == 0) throw new VideoDecodeException(path, "empty file");
        var arguments = new List<string> { "-v", "error", "-select_streams", "v:0" };
        if (countFrames) arguments.Add("-count_frames");
        arguments.AddRange(["-show_entries", "stream=nb_frames,nb_read_frames,r_frame_rate,width,height", "-of", "default=noprint_wrappers=1", path]);
        using var p = Ffmpeg.Start(arguments, redirectInput: false, Ffmpeg.ProbeExecutable);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string errors = stderr.Result.Trim();
        if (p.ExitCode != 0) throw new VideoDecodeException(path, $"unreadable: {Ffmpeg.Failure(p, errors)}");
        var fields = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
        if (!fields.ContainsKey("width")) throw new VideoDecodeException(path, "no video stream");
        return (fields, errors);
    }

    private static ClipProbe ToProbe(Dictionary<string, string> fields, int frames) =>
        new(frames, Rate(fields.GetValueOrDefault("r_frame_rate")), int.Parse(fields["width"], CultureInfo.InvariantCulture), int.Parse(fields["height"], CultureInfo.InvariantCulture));

    private static double Rate(string? fraction)
    {
        var parts = (fraction ?? "0/1").Split('/');
        double num = double.Parse(parts[0], CultureInfo.InvariantCulture);
        double den = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
        return den == 0 ? 0 : num / den;
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
