using VideoNas.Core.Diagnostics;
using VideoNas.Core.Search;

namespace VideoNas.Nas.Search;

/// <summary>One measured configuration: throughput of full search steps (α step + w step, median step) and resident memory.</summary>
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
        using var batch = ClipBatch.Random(config, config.BatchSize, classes, (ulong)config.Seed);
        for (int i = 0; i < warmup; i++) Step(search, batch, config.SecondOrder);

        long before = ProcessMemory.ResidentBytes();
        var trace = new List<(int, long)>();
        double seconds = StepTimer.MedianSeconds(steps, () => Step(search, batch, config.SecondOrder), i =>
        {
            if (traceEvery <= 0 || i % traceEvery != 0) return;
            long rss = ProcessMemory.ResidentBytes();
            trace.Add((i, rss));
            onTrace?.Invoke(i, rss);
        });
        // The process's high-water mark: it catches the peak inside a step, which sampling between steps would miss.
        long peak = ProcessMemory.PeakResidentBytes();
        return new SearchBenchmarkResult(label, steps, config.BatchSize / seconds, seconds, before, peak, ProcessMemory.ResidentBytes(), trace,
            search.Model.WeightParameters.Sum(p => p.numel()));
    }

    private static void Step(BilevelSearch search, ClipBatch batch, bool secondOrder)
    {
        search.ArchStep(batch, secondOrder ? batch : null);
        search.WeightStep(batch);
    }
}
