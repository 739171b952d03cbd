using System.Collections.Concurrent;

namespace VideoNas.Core.Data;

public sealed record DatasetProblem(string Where, string Reason);

public sealed record ClassCount(string Class, int Train, int Test);

/// <summary>What <c>videonas dataset check</c> reports.</summary>
public sealed record DatasetCheckReport(
    string Root, int Split, string? Fatal, IReadOnlyList<ClassCount> Classes, int UsableClips,
    int MinFrames, int MedianFrames, int MaxFrames, IReadOnlyList<double> FrameRates, IReadOnlyList<string> Resolutions,
    IReadOnlyList<DatasetProblem> Problems)
{
    /// <summary>0: everything usable; 1: some clips or lines are bad; 2: the dataset cannot be used.</summary>
    public int ExitCode => Fatal is not null || UsableClips == 0 ? 2 : Problems.Count > 0 ? 1 : 0;
}

/// <summary>
/// Checks a dataset in any layout <see cref="DatasetLayout"/> reads: every list line, every clip decoded
/// (a video's every frame; a rawframes clip's file count against its list line, and its first and last
/// frame), every class populated.
/// </summary>
public static class DatasetCheck
{
    public static DatasetCheckReport Run(string root, int split, int splitSeed = 0)
    {
        var problems = new ConcurrentBag<DatasetProblem>();
        VideoDataset dataset;
        try
        {
            dataset = DatasetLayout.Open(root, split, splitSeed, line => problems.Add(new DatasetProblem(line.Split(": ", 2)[0], line.Split(": ", 2)[^1])));
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException)
        {
            return new DatasetCheckReport(root, split, e.Message, [], 0, 0, 0, 0, [], [], problems.ToList());
        }

        var probes = new ConcurrentDictionary<string, ClipProbe>();
        var clips = dataset.Train.Concat(dataset.Test).DistinctBy(c => c.RelativePath).ToList();
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, clip =>
        {
            try
            {
                probes[clip.RelativePath] = dataset.Format == ClipFormat.RawFrames ? ProbeFrames(dataset, clip) : Ffprobe.Probe(dataset.FullPath(clip));
            }
            catch (VideoDecodeException e)
            {
                problems.Add(new DatasetProblem(clip.RelativePath, e.Reason));
            }
        });

        int Usable(IEnumerable<ClipEntry> list, int label) => list.Count(c => c.Label == label && probes.ContainsKey(c.RelativePath));
        var classes = dataset.Classes.Select((name, i) => new ClassCount(name, Usable(dataset.Train, i), Usable(dataset.Test, i))).ToList();
        foreach (var c in classes.Where(c => c.Train == 0))
            problems.Add(new DatasetProblem(c.Class, $"no usable training clip in split {split}"));
        var frames = probes.Values.Select(p => p.Frames).Order().ToList();
        return new DatasetCheckReport(root, split, null, classes, probes.Count,
            frames.FirstOrDefault(), frames.Count == 0 ? 0 : frames[frames.Count / 2], frames.LastOrDefault(),
            probes.Values.Select(p => Math.Round(p.Fps, 3)).Distinct().Order().ToList(),
            probes.Values.Select(p => $"{p.Width}x{p.Height}").Distinct().Order().ToList(),
            problems.OrderBy(p => p.Where, StringComparer.Ordinal).ToList());
    }

    private static ClipProbe ProbeFrames(VideoDataset dataset, ClipEntry clip)
    {
        string dir = dataset.FullPath(clip);
        if (!Directory.Exists(dir)) throw new VideoDecodeException(dir, "frame folder not found");
        int files = Directory.EnumerateFiles(dir, "img_*.jpg").Count();
        if (files < clip.Frames) throw new VideoDecodeException(dir, $"truncated: the list says {clip.Frames} frames, the folder has {files}");
        var ends = RawFrameReader.Decode(dir, 0, clip.Frames == 1 ? [0] : [0, clip.Frames - 1]);
        return new ClipProbe(clip.Frames, 0, ends.Width, ends.Height);
    }
}
