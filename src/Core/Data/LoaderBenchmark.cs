using System.Diagnostics;

namespace VideoNas.Core.Data;

public sealed record LoaderPhase(string Name, int Clips, double Seconds, long PeakRssBytes)
{
    public double ClipsPerSecond => Clips / Seconds;
}

/// <summary>
/// Measures the clip loader against the decoding ceiling on the same clips in the same run: ffmpeg
/// decoding each whole clip to nothing (<c>ffmpeg -i X -f null -</c>), as many at once as the loader has
/// workers; then the loader without the cache (after the once-per-run header probes that give frame
/// counts: only the sampled frames converted, scaled and cropped),
/// and with the cache (epoch 1 decodes whole clips into memory, or onto disk, epoch 2 only reads and crops).
/// </summary>
public static class LoaderBenchmark
{
    /// <param name="diskCache">An empty folder for the disk cache's two epochs.</param>
    public static IReadOnlyList<LoaderPhase> Run(VideoDataset dataset, IReadOnlyList<ClipEntry> clips, ClipSampling sampling, int workers, string diskCache)
    {
        var phases = new List<LoaderPhase>
        {
            Measure("ffmpeg -f null (ceiling)", clips.Count, () =>
                Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = workers }, clip => DecodeToNull(dataset, clip))),
        };
        var direct = new ClipLoader(dataset, sampling, cache: false, workers);
        // Frame counts come from one header probe per clip and run (a search's Warm); epochs after the first never probe.
        phases.Add(Measure("header probes (once per run)", clips.Count, () => direct.Warm(clips)));
        phases.Add(Measure("loader, no cache", clips.Count, () => Require(direct.TrainBatch(Seeded(clips, 1)), clips.Count)));
        var cached = new ClipLoader(dataset, sampling, cache: true, workers);
        phases.Add(Measure("loader, cache epoch 1", clips.Count, () => Require(cached.TrainBatch(Seeded(clips, 2)), clips.Count)));
        phases.Add(Measure("loader, cache epoch 2", clips.Count, () => Require(cached.TrainBatch(Seeded(clips, 3)), clips.Count)));
        var onDisk = new ClipLoader(dataset, sampling, cache: true, workers, cacheDirectory: diskCache);
        phases.Add(Measure("loader, disk cache epoch 1", clips.Count, () => Require(onDisk.TrainBatch(Seeded(clips, 2)), clips.Count)));
        phases.Add(Measure("loader, disk cache epoch 2", clips.Count, () => Require(onDisk.TrainBatch(Seeded(clips, 3)), clips.Count)));
        return phases;
    }

    private static List<(ClipEntry, int)> Seeded(IReadOnlyList<ClipEntry> clips, int epoch) => clips.Select((c, i) => (c, epoch * 100_003 + i)).ToList();

    private static void Require(List<(ClipEntry Clip, SampledClip Sample)> loaded, int expected)
    {
        if (loaded.Count != expected) throw new InvalidDataException($"only {loaded.Count} of {expected} clips loaded; run dataset check");
    }

    private static LoaderPhase Measure(string name, int clips, Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        return new LoaderPhase(name, clips, clock.Elapsed.TotalSeconds, self.PeakWorkingSet64);
    }

    private static void DecodeToNull(VideoDataset dataset, ClipEntry clip)
    {
        string path = dataset.FullPath(clip);
        string[] input = dataset.Format == ClipFormat.RawFrames
            ? ["-f", "image2", "-start_number", "1", "-i", Path.Combine(path, "img_%05d.jpg")]
            : ["-i", path];
        using var p = Ffmpeg.Start(["-nostdin", "-v", "error", .. input, "-f", "null", "-"], redirectInput: false);
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new VideoDecodeException(path, $"ffmpeg exited with {p.ExitCode}: {p.StandardError.ReadToEnd().Trim()}");
    }
}
