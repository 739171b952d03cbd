namespace VideoNas.Nas.Models;

/// <summary>
/// TSN consensus around any clip classifier: [batch, K, 3, F, H, W] is folded to [batch·K, 3, F, H, W],
/// each segment is scored, and the K scores are averaged per video.
/// </summary>
public sealed class SegmentConsensus : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> backbone;

    public SegmentConsensus(nn.Module<Tensor, Tensor> backbone) : base(nameof(SegmentConsensus))
    {
        this.backbone = backbone;
        RegisterComponents();
    }

    public override Tensor forward(Tensor clips) => Apply(clips, backbone.call);

    /// <summary>The fold–score–average used by every network here, the supernet included.</summary>
    public static Tensor Apply(Tensor clips, Func<Tensor, Tensor> scoreSegments)
    {
        using var scope = NewDisposeScope();
        long batch = clips.shape[0], segments = clips.shape[1];
        var folded = clips.reshape(batch * segments, clips.shape[2], clips.shape[3], clips.shape[4], clips.shape[5]);
        var logits = scoreSegments(folded);
        return logits.reshape(batch, segments, logits.shape[^1]).mean([1]).MoveToOuterDisposeScope();
    }
}
