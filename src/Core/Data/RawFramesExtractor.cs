using System.Globalization;
using System.Text;

namespace VideoNas.Core.Data;

public sealed record ExtractResult(int Clips, long Frames, IReadOnlyList<DatasetProblem> Skipped);

/// <summary>
/// Converts a video dataset (any layout <see cref="DatasetLayout"/> reads) into rawframes: every clip of the
/// three splits becomes <c>out/&lt;Class&gt;/&lt;clip&gt;/img_00001.jpg…</c> and each split gets its two list files,
/// so later runs read JPEGs instead of decoding video. A clip that fails is skipped and reported, and
/// left out of the lists; a clip whose folder is already complete is not extracted again.
/// </summary>
public static class RawFramesExtractor
{
    public static ExtractResult Extract(string root, string outDir, int shortSide = 0, int splitSeed = 0, Action<int, int>? progress = null)
    {
        var splits = Enumerable.Range(1, 3).Select(s => DatasetLayout.Open(root, s, splitSeed)).ToList();
        if (splits[0].Format != ClipFormat.Video) throw new FormatException($"{root}: already rawframes");
        var clips = splits.SelectMany(s => s.Train.Concat(s.Test)).DistinctBy(c => c.RelativePath).ToList();
        var frames = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var skipped = new System.Collections.Concurrent.ConcurrentBag<DatasetProblem>();
        int done = 0;
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, clip =>
        {
            try
            {
                frames[clip.RelativePath] = ExtractClip(splits[0].FullPath(clip), Path.Combine(outDir, FrameDir(clip)), shortSide);
            }
            catch (VideoDecodeException e)
            {
                skipped.Add(new DatasetProblem(clip.RelativePath, e.Reason));
            }
            progress?.Invoke(Interlocked.Increment(ref done), clips.Count);
        });

        File.WriteAllText(Path.Combine(outDir, "classInd.txt"), string.Concat(splits[0].Classes.Select((c, i) => $"{i + 1} {c}\n")));
        for (int s = 1; s <= 3; s++)
        {
            WriteList(Path.Combine(outDir, $"dataset_train_split_{s}_rawframes.txt"), splits[s - 1].Train, frames);
            WriteList(Path.Combine(outDir, $"dataset_val_split_{s}_rawframes.txt"), splits[s - 1].Test, frames);
        }
        return new ExtractResult(frames.Count, frames.Values.Sum(f => (long)f), skipped.OrderBy(p => p.Where, StringComparer.Ordinal).ToList());
    }

    /// <summary>"Class/v_Class_g01_c01.avi" becomes "Class/v_Class_g01_c01".</summary>
    public static string FrameDir(ClipEntry clip) => Path.ChangeExtension(clip.RelativePath, null);

    private static int ExtractClip(string video, string dir, int shortSide)
    {
        string done = Path.Combine(dir, ".complete");
        if (File.Exists(done)) return int.Parse(File.ReadAllText(done), CultureInfo.InvariantCulture);
        // A folder left by an interrupted run may hold frames of a partial decode; start it over.
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var arguments = new List<string> { "-nostdin", "-v", "error", "-i", video };
        if (shortSide > 0) arguments.AddRange(["-vf", Ffmpeg.ScaleShortSide(shortSide)]);
        arguments.AddRange(["-fps_mode", "passthrough", "-q:v", "2", "-start_number", "1", Path.Combine(dir, "img_%05d.jpg")]);
        using var p = Ffmpeg.Start(arguments, redirectInput: false);
        string errors = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit();
        int count = Directory.EnumerateFiles(dir, "img_*.jpg").Count();
        if (p.ExitCode != 0 || count == 0)
        {
            Directory.Delete(dir, recursive: true);
            throw new VideoDecodeException(video, count == 0 && p.ExitCode == 0 ? "no frames" : Ffmpeg.Failure(p, errors));
        }
        File.WriteAllText(done, count.ToString(CultureInfo.InvariantCulture));
        return count;
    }

    private static void WriteList(string path, IEnumerable<ClipEntry> clips, IReadOnlyDictionary<string, int> frames) =>
        File.WriteAllText(path, string.Concat(clips.Where(c => frames.ContainsKey(c.RelativePath))
            .Select(c => $"{FrameDir(c)} {frames[c.RelativePath]} {c.Label}\n")), Encoding.ASCII);
}
