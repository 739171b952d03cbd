using System.Diagnostics;
using VideoNas.Core.Telemetry;

namespace VideoNas.Grains;

/// <summary>One search step's records, as metrics: counts, the shards' time split, losses and accuracies.</summary>
internal static class StepMeters
{
    public static void Record(string trialId, IReadOnlyList<StepMetrics>? arch, IReadOnlyList<StepMetrics> train, TimeSpan wall)
    {
        var trial = VideoNasTelemetry.Trial(trialId);
        VideoNasTelemetry.Steps.Add(1, trial);
        VideoNasTelemetry.StepDuration.Record(wall.TotalSeconds, trial);
        Split(trialId, "w", train);
        if (arch is not null) Split(trialId, "alpha", arch);
    }

    private static void Split(string trialId, string split, IReadOnlyList<StepMetrics> shards)
    {
        var tags = new TagList { VideoNasTelemetry.Trial(trialId), { "split", split } };
        VideoNasTelemetry.Loss.Record(shards.Average(s => s.Loss), tags);
        VideoNasTelemetry.Accuracy.Record(shards.Average(s => s.Accuracy), tags);
        VideoNasTelemetry.Clips.Add(shards.Sum(s => s.Clips), tags);
        VideoNasTelemetry.ReducedBytes.Add(shards.Sum(s => s.ReducedBytes), tags);
        foreach (var s in shards)
        {
            VideoNasTelemetry.ShardTime.Record(s.ComputeSeconds, [VideoNasTelemetry.Trial(trialId), new("part", "compute")]);
            VideoNasTelemetry.ShardTime.Record(s.ReduceSeconds, [VideoNasTelemetry.Trial(trialId), new("part", "all_reduce")]);
            VideoNasTelemetry.ShardTime.Record(s.OverlappedSeconds, [VideoNasTelemetry.Trial(trialId), new("part", "hidden")]);
        }
    }
}
