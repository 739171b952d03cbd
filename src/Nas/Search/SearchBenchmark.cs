using System.Diagnostics;
using System.Globalization;
using VideoNas.Core.Search;

namespace VideoNas.Nas.Search;

/// <summary>One measured configuration: throughput of full search steps (α step + w step) and resident memory.</summary>
public sealed record SearchBenchmarkResult(
    string Label, int Steps, double ClipsPerSecond, double SecondsPerStep, long RssBeforeBytes, long PeakRssBytes, long RssAfterBytes,
    IReadOnlyList<(int Step, long RssBytes)> RssTrace, long Parameters = 0);

/// <summary>
/// Times the supernet search step on random clips of the configured shape (decoding excluded, so this is
/// the compute ceiling), sampling resident memory after every step. A flat trace over many steps shows
/// that no tensor leaks.
/// </summary>
public static class SearchBenchmark
{
    public static SearchBenchmarkResult Run(string label, SearchConfig config, int classes, int steps, int warmup, int traceEvery,
        Action<int, long>? onTrace = null)
    {
        using var search = new BilevelSearch(config, classes);
        using var generator = new Generator((ulong)config.Seed);
        using var clips = randn([config.BatchSize, config.Segments, 3, config.FramesPerSegment, config.Resolution, config.Resolution], generator: generator);
        using var labels = randint(classes, [config.BatchSize], generator: generator);
        using var batch = new ClipBatch(clips.alias(), labels.alias());
        for (int i = 0; i < warmup; i++) Step(search, batch, config.SecondOrder);

        long before = ResidentBytes(), peak = before;
        var trace = new List<(int, long)>();
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= steps; i++)
        {
            Step(search, batch, config.SecondOrder);
            long rss = ResidentBytes();
            peak = Math.Max(peak, rss);
            if (traceEvery > 0 && i % traceEvery == 0)
            {
                trace.Add((i, rss));
                onTrace?.Invoke(i, rss);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new SearchBenchmarkResult(label, steps, steps * config.BatchSize / seconds, seconds / steps, before, peak, ResidentBytes(), trace,
            search.Model.WeightParameters.Sum(p => p.numel()));
    }

    private static void Step(BilevelSearch search, ClipBatch batch, bool secondOrder)
    {
        search.ArchStep(batch, secondOrder ? batch : null);
        search.WeightStep(batch);
    }

    /// <summary>VmRSS of this process, from /proc (Linux).</summary>
    public static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
