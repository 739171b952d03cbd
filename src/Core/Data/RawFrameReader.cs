namespace VideoNas.Core.Data;

/// <summary>
/// Reads frames of a rawframes clip (a folder of JPEGs): the wanted files are read here and streamed
/// into one ffmpeg, which decodes and scales them, so a clip costs one process however many frames it takes.
/// </summary>
public static class RawFrameReader
{
    /// <param name="frames">0-based frame indices, ascending and distinct; file i is <c>img_{i+1:00000}.jpg</c>.</param>
    public static DecodedVideo Decode(string clipDir, int shortSide, IReadOnlyList<int> frames)
    {
        if (!Directory.Exists(clipDir)) throw new VideoDecodeException(clipDir, "frame folder not found");
        var files = frames.Select(f => Path.Combine(clipDir, RawFramesLayout.FrameFile(f))).ToList();
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            throw new VideoDecodeException(clipDir, $"frame file {Path.GetFileName(missing)} not found");
        var arguments = new List<string> { "-nostdin", "-v", "error", "-f", "image2pipe", "-c:v", "mjpeg", "-i", "pipe:0" };
        if (shortSide > 0) arguments.AddRange(["-vf", Ffmpeg.ScaleShortSide(shortSide)]);
        arguments.AddRange(Ffmpeg.PpmToStdout());
        using var process = Ffmpeg.Start(arguments, redirectInput: true);
        var feeding = Task.Run(() =>
        {
            using var stdin = process.StandardInput.BaseStream;
            try
            {
                foreach (var file in files) stdin.Write(File.ReadAllBytes(file));
            }
            catch (IOException)
            {
                // ffmpeg stopped reading (a corrupt JPEG); its exit code and stderr tell why.
            }
        });
        var video = Ffmpeg.ReadFrames(process, clipDir, files.Count);
        feeding.Wait();
        return video;
    }
}
