using System.Text.Json;
using VideoNas.Core.Data;

namespace VideoNas.Core.Training;

/// <summary>
/// Training a network from scratch, the same protocol for a derived genotype and for every manual
/// baseline: SGD with a cosine schedule, TSN input, clip and video accuracy on the test list.
/// </summary>
public sealed record TrainConfig : ClipInputConfig
{
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 8;
    public double Lr { get; init; } = 0.025;
    public double LrMin { get; init; }
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 3e-4;
    public double GradClip { get; init; } = 5.0;

    /// <summary>Clips per test video for video accuracy (TSN protocol); clip accuracy uses the centre clip.</summary>
    public int TestClips { get; init; } = 5;

    /// <summary>Derived networks: initial channels, cells, drop-path probability, auxiliary-head loss weight (0 = none).</summary>
    public int Channels { get; init; } = 16;
    public int Layers { get; init; } = 8;
    public double DropPath { get; init; } = 0.2;
    public double AuxiliaryWeight { get; init; }
    /// <summary>Temporal size of a derived network's stem kernel; use the search's value.</summary>
    public int StemTemporalKernel { get; init; } = 3;
    /// <summary>A derived network's stem outputs this many times <see cref="Channels"/>, as the supernet's stem_multiplier.</summary>
    public int StemMultiplier { get; init; } = 3;

    /// <summary>Baselines: channel width multiplier (1 = the published width).</summary>
    public double Width { get; init; } = 1.0;

    public long Seed { get; init; } = 2;

    public string ToJson() => JsonSerializer.Serialize(this, Search.SearchConfig.Json);

    /// <summary>Parses and validates a config; problems name <paramref name="source"/> and the field.</summary>
    public static TrainConfig FromJson(string json, string source = "train config")
    {
        return ConfigJson.Parse<TrainConfig>(json, source, Search.SearchConfig.Json).Validated(source);
    }

    public TrainConfig Validated(string source = "train config")
    {
        void Require(bool ok, string field, string why) => ConfigJson.Require(ok, source, field, why);
        Require(Epochs >= 1, "epochs", "must be at least 1");
        Require(BatchSize >= 1, "batch_size", "must be at least 1");
        Require(Lr > 0, "lr", "must be positive");
        Require(LrMin >= 0 && LrMin <= Lr, "lr_min", $"must be in [0, lr ({Lr})]");
        Require(Momentum is >= 0 and < 1, "momentum", "must be in [0, 1)");
        Require(WeightDecay >= 0, "weight_decay", "must not be negative");
        Require(GradClip > 0, "grad_clip", "must be positive");
        ValidateInput(Require);
        Require(TestClips >= 1, "test_clips", "must be at least 1");
        Require(Channels >= 2 && Channels % 2 == 0, "channels", "must be even and at least 2");
        Require(Layers >= 1, "layers", "must be at least 1");
        Require(StemTemporalKernel >= 1 && StemTemporalKernel % 2 == 1, "stem_temporal_kernel", "must be odd and at least 1");
        Require(StemMultiplier >= 1, "stem_multiplier", "must be at least 1");
        Require(DropPath is >= 0 and < 1, "drop_path", "must be in [0, 1)");
        Require(AuxiliaryWeight >= 0, "auxiliary_weight", "must not be negative");
        Require(Width > 0, "width", "must be positive");
        return this;
    }
}
