namespace VideoNas.Nas.Models;

/// <summary>
/// C3D (Tran et al. 2015): eight 3×3×3 convolutions, five max pools, fc6/fc7 of 4096 and dropout 0.5.
/// pool5 is an adaptive average to 1×4×4, so inputs other than 16×112×112 work. Average, not max: TorchSharp
/// 0.107's adaptive max pool 3-D is broken (the functional form calls the 1-D kernel, the module throws).
/// </summary>
public sealed class C3D : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> features;
    private readonly nn.Module<Tensor, Tensor> classifier;

    public C3D(int classes, double width = 1.0) : base(nameof(C3D))
    {
        long W(long c) => Layers.Width(c, width);
        features = nn.Sequential(
            Conv(3, W(64)), Pool(1),
            Conv(W(64), W(128)), Pool(2),
            Conv(W(128), W(256)), Conv(W(256), W(256)), Pool(2),
            Conv(W(256), W(512)), Conv(W(512), W(512)), Pool(2),
            Conv(W(512), W(512)), Conv(W(512), W(512)));
        classifier = nn.Sequential(
            Layers.Linear(W(512) * 16, W(4096)), nn.ReLU(), nn.Dropout(0.5),
            Layers.Linear(W(4096), W(4096)), nn.ReLU(), nn.Dropout(0.5),
            Layers.Linear(W(4096), classes));
        RegisterComponents();
    }

    /// <summary>A C3D convolution: 3×3×3 with bias, then ReLU.</summary>
    internal static nn.Module<Tensor, Tensor> Conv(long cIn, long cOut) =>
        nn.Sequential(Layers.Conv3d(cIn, cOut, (3, 3, 3), padding: (1, 1, 1), bias: true), nn.ReLU());

    /// <summary>A C3D max pool, halving space and <paramref name="t"/>-fold time.</summary>
    internal static nn.Module<Tensor, Tensor> Pool(long t) => new ChannelsLastMaxPool([t, 2, 2], [t, 2, 2], ceilMode: true);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.adaptive_avg_pool3d(features.call(x), [1, 4, 4]).flatten(1);
        return classifier.call(pooled).MoveToOuterDisposeScope();
    }
}
