using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Core.Data;

namespace VideoNas.Core.Search;

/// <summary>
/// Everything a search depends on. Defaults are DARTS' optimiser settings with the paper's 4×2
/// segment input; the network size defaults are small enough for a CPU. Saved beside every run.
/// </summary>
public sealed record SearchConfig : ClipInputConfig
{
    public IReadOnlyList<string> Primitives { get; init; } = Search.Primitives.P3D;
    public int Steps { get; init; } = 4;
    public int InitChannels { get; init; } = 16;
    public int Layers { get; init; } = 5;
    public int StemMultiplier { get; init; } = 3;
    /// <summary>
    /// Temporal size of the stem kernel (k×3×3). 1 makes the whole network blind to motion inside a
    /// segment unless its cells hold temporal ops: the honest setting for a 2D-only ablation.
    /// </summary>
    public int StemTemporalKernel { get; init; } = 3;

    /// <summary>Reduction cells also halve time (stride 2×2×2 instead of 1×2×2).</summary>
    public bool ReduceTime { get; init; }

    /// <summary>Clips per step over the whole trial; a trial on N shards gives each batch_size / N.</summary>
    public int BatchSize { get; init; } = 8;
    public int Epochs { get; init; } = 50;
    /// <summary>Caps the steps per epoch; 0 means a full pass over the smaller split.</summary>
    public int StepsPerEpoch { get; init; }

    public double WeightLr { get; init; } = 0.025;
    public double WeightLrMin { get; init; } = 0.001;
    public double WeightMomentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 3e-4;
    public double GradClip { get; init; } = 5.0;

    public double ArchLr { get; init; } = 3e-4;
    public double ArchBeta1 { get; init; } = 0.5;
    public double ArchBeta2 { get; init; } = 0.999;
    public double ArchWeightDecay { get; init; } = 1e-3;

    /// <summary>
    /// Second-order α gradient (the unrolled step and a finite-difference Hessian-vector product, about
    /// three times the cost of an α step); first order when false.
    /// </summary>
    public bool SecondOrder { get; init; }

    /// <summary>The finite-difference step of the Hessian-vector product: R = hessian_step / ‖v‖ (DARTS: 0.01).</summary>
    public double HessianStep { get; init; } = 0.01;

    /// <summary>
    /// PC-DARTS partial channels: only 1/K of each edge's channels go through the candidate ops, the rest
    /// bypass them (K = 1: off). Cuts supernet memory and time about K-fold at UCF101 scale.
    /// </summary>
    public int PartialChannels { get; init; } = 1;

    public const string BatchNormalization = "batch", PerSampleNormalization = "per_sample";

    /// <summary>
    /// "batch" (DARTS: BatchNorm, statistics over each shard's share of the batch) or "per_sample"
    /// (one-group GroupNorm, statistics per clip): with it a step on N shards of b clips equals one on N·b.
    /// </summary>
    public string Normalization { get; init; } = BatchNormalization;

    /// <summary>PC-DARTS edge normalisation: learned edge weights β, softmaxed over each node's inputs.</summary>
    public bool EdgeNormalization { get; init; }

    /// <summary>At most this many skip_connect edges per derived cell (0 = no cap), against DARTS' skip collapse.</summary>
    public int MaxSkipConnects { get; init; }

    /// <summary>Stop the search once the genotype has not changed for this many epochs (0 = never).</summary>
    public int StopWhenStableEpochs { get; init; }

    /// <summary>
    /// Epochs of w-only training before α starts to move (0 = from the start); all of them (= epochs): α never moves,
    /// the supernet DARTS-PT trains with α held uniform before perturbation selection.
    /// </summary>
    public int WarmupEpochs { get; init; }

    /// <summary>
    /// Single-path one-shot (Guo et al. 2020): every w step trains one path of the supernet, a genotype drawn
    /// uniformly from the space, and α never moves. The supernet is then a ranker of sub-networks
    /// (<c>groundtruth oneshot</c>); α's genotype.json means nothing for it.
    /// </summary>
    public bool SinglePath { get; init; }

    /// <summary>
    /// Each supernet edge in one pass (shared ReLU, stacked convolutions and BatchNorms, one contraction for the
    /// weighted sum): the same function as the per-operation sum, faster. False runs the per-operation reference.
    /// </summary>
    public bool FusedEdges { get; init; } = true;

    /// <summary>Clips that fail to decode are skipped; the search stops only when more than this fraction fails.</summary>
    public double MaxBadClipFraction { get; init; } = 0.01;

    /// <summary>On a trial with several shards, compare the replicas' parameter checksums every this many steps (0 = never).</summary>
    public int ReplicaCheckEvery { get; init; } = 50;

    /// <summary>
    /// A trial writes a checkpoint every this many steps and at every epoch end (0 = epoch ends only);
    /// a lost shard costs at most this many steps.
    /// </summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>
    /// On a trial with several shards, w gradients travel in buckets of at least this many MiB, each
    /// all-reduced while backward computes the layers below it (0 = one all-reduce after backward).
    /// </summary>
    public double ReduceBucketMb { get; init; } = 1;

    public long Seed { get; init; } = 2;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SearchConfig FromJson(string json, string source = "config")
    {
        return ConfigJson.Parse<SearchConfig>(json, source, Json).Validated(source);
    }

    /// <summary>The fields <paramref name="json"/> names over <paramref name="defaults"/>'s, validated.</summary>
    public static SearchConfig FromJson(string json, string source, SearchConfig defaults)
    {
        return ConfigJson.Overlay(json, source, Json, defaults).Validated(source);
    }

    public SearchConfig Validated(string source = "config")
    {
        void Require(bool ok, string field, string why) => ConfigJson.Require(ok, source, field, why);
        Require(Primitives is not null && Primitives.Any(p => p != Search.Primitives.None), "primitives", "needs an operation other than \"none\"");
        foreach (var op in Primitives?.Where(p => !Search.Primitives.All.Contains(p)) ?? [])
            Require(false, "primitives", $"has the unknown operation \"{op}\"; the operations are {string.Join(", ", Search.Primitives.All)}");
        Require(Steps >= 1, "steps", "must be at least 1");
        Require(StemTemporalKernel >= 1 && StemTemporalKernel % 2 == 1, "stem_temporal_kernel", "must be odd and at least 1");
        Require(InitChannels >= 2 && InitChannels % 2 == 0, "init_channels", "must be even and at least 2");
        Require(Layers >= 1, "layers", "must be at least 1");
        Require(StemMultiplier >= 1, "stem_multiplier", "must be at least 1");
        ValidateInput(Require);
        Require(BatchSize >= 1, "batch_size", "must be at least 1");
        Require(Epochs >= 1, "epochs", "must be at least 1");
        Require(StepsPerEpoch >= 0, "steps_per_epoch", "must not be negative");
        // Steps are counted in an int (status, checkpoints); a dataset's batches per epoch are checked when it is opened.
        Require((long)Math.Max(1, StepsPerEpoch) * Epochs <= int.MaxValue, "epochs", $"times steps_per_epoch must stay below {int.MaxValue}");
        Require(WarmupEpochs >= 0 && WarmupEpochs <= Epochs, "warmup_epochs", $"must be between 0 and epochs ({Epochs})");
        Require(PartialChannels >= 1 && InitChannels % PartialChannels == 0, "partial_channels",
            $"must be at least 1 and divide init_channels ({InitChannels})");
        Require(Normalization is BatchNormalization or PerSampleNormalization, "normalization",
            $"must be \"{BatchNormalization}\" or \"{PerSampleNormalization}\", got \"{Normalization}\"");
        Require(ReplicaCheckEvery >= 0, "replica_check_every", "must not be negative");
        Require(CheckpointEvery >= 0, "checkpoint_every", "must not be negative");
        Require(ReduceBucketMb >= 0, "reduce_bucket_mb", "must not be negative");
        Require(MaxSkipConnects >= 0, "max_skip_connects", "must not be negative");
        Require(StopWhenStableEpochs >= 0, "stop_when_stable_epochs", "must not be negative");
        Require(MaxBadClipFraction is >= 0 and <= 1, "max_bad_clip_fraction", "must be between 0 and 1");
        Require(HessianStep > 0, "hessian_step", "must be positive");
        Require(WeightLr > 0, "weight_lr", "must be positive");
        Require(WeightLrMin >= 0 && WeightLrMin <= WeightLr, "weight_lr_min", $"must be in [0, weight_lr ({WeightLr})]");
        Require(WeightMomentum is >= 0 and < 1, "weight_momentum", "must be in [0, 1)");
        Require(WeightDecay >= 0, "weight_decay", "must not be negative");
        Require(GradClip > 0, "grad_clip", "must be positive");
        Require(ArchLr > 0, "arch_lr", "must be positive");
        Require(ArchBeta1 is >= 0 and < 1, "arch_beta1", "must be in [0, 1)");
        Require(ArchBeta2 is >= 0 and < 1, "arch_beta2", "must be in [0, 1)");
        Require(ArchWeightDecay >= 0, "arch_weight_decay", "must not be negative");
        return this;
    }
}
