using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoNas.Core.Telemetry;

/// <summary>
/// The meter and activity source every VideoNas process reports through (System.Diagnostics only, so the
/// NAS core stays free of exporters). A silo exports them with OpenTelemetry; Prometheus sees the names
/// with dots as underscores, e.g. <c>videonas_search_steps_total</c>.
/// </summary>
public static class VideoNasTelemetry
{
    public const string Name = "VideoNas";

    public static readonly Meter Meter = new(Name);
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Search steps done (an α step and a w step, or a w step alone in warm-up), by trial.</summary>
    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("videonas.search.steps", description: "search steps done");

    /// <summary>Wall time of one search step as the coordinator saw it.</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("videonas.search.step.duration", "s", "wall time of a search step");

    /// <summary>A shard's time in one call, split as <c>status</c> splits it: compute, all_reduce, hidden (behind backward).</summary>
    public static readonly Histogram<double> ShardTime = Meter.CreateHistogram<double>("videonas.shard.time", "s", "a shard's time in one step call, by part");

    public static readonly Counter<long> Clips = Meter.CreateCounter<long>("videonas.search.clips", description: "clips through the supernet");

    /// <summary>The last step's mean loss and accuracy, by trial and split (w or alpha).</summary>
    public static readonly Gauge<double> Loss = Meter.CreateGauge<double>("videonas.search.loss", description: "last step's mean loss");

    public static readonly Gauge<double> Accuracy = Meter.CreateGauge<double>("videonas.search.accuracy", description: "last step's mean clip accuracy");

    public static readonly Counter<long> ReducedBytes = Meter.CreateCounter<long>("videonas.allreduce.bytes", "By", "gradient bytes all-reduced");

    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>("videonas.checkpoint.duration", "s", "checkpoint write time");

    public static readonly Histogram<long> CheckpointSize = Meter.CreateHistogram<long>("videonas.checkpoint.size", "By", "checkpoint file size");

    public static readonly Counter<long> Recoveries = Meter.CreateCounter<long>("videonas.trial.recoveries", description: "restarts of a trial from a checkpoint");

    public static readonly Counter<long> ClipsLoaded = Meter.CreateCounter<long>("videonas.data.clips.loaded", description: "clips handed to training");

    /// <summary>Decodes by ffmpeg or JPEG; with the cache on, loads minus decodes are cache hits.</summary>
    public static readonly Counter<long> ClipsDecoded = Meter.CreateCounter<long>("videonas.data.clips.decoded", description: "clips decoded");

    public static readonly Counter<long> BadClips = Meter.CreateCounter<long>("videonas.data.bad_clips", description: "clips that could not be decoded");

    /// <summary>Trials waiting in the device queue, counted by the silos of their coordinators (sum over silos).</summary>
    public static readonly UpDownCounter<long> QueueWaiting = Meter.CreateUpDownCounter<long>("videonas.queue.waiting", description: "trials waiting for devices");

    /// <summary>How long a trial waited in the device queue before it got its devices.</summary>
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("videonas.queue.wait", "s", "time a trial waited for devices");

    public static KeyValuePair<string, object?> Trial(string trialId) => new("trial", trialId);
}
