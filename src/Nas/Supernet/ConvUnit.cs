using VideoNas.Nas.Models;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// The DARTS building block: ReLU → convolution → normalisation (BatchNorm unless told otherwise). A separable unit is a depthwise
/// convolution followed by a 1×1×1 pointwise one. Padding keeps "same" size before the stride.
/// </summary>
public sealed class ConvUnit : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _conv;
    private readonly nn.Module<Tensor, Tensor>? _pointwise;
    private readonly nn.Module<Tensor, Tensor> _bn;

    public ConvUnit(long cIn, long cOut, (int T, int H, int W) kernel, Stride3 stride,
        (int T, int H, int W)? dilation = null, bool separable = false, Norm? norm = null)
        : base(nameof(ConvUnit))
    {
        var d = dilation ?? (1, 1, 1);
        var padding = ((long)d.T * (kernel.T - 1) / 2, (long)d.H * (kernel.H - 1) / 2, (long)d.W * (kernel.W - 1) / 2);
        _conv = Layers.Conv3d(cIn, separable ? cIn : cOut, (kernel.T, kernel.H, kernel.W), stride.AsTuple,
            padding, (d.T, d.H, d.W), groups: separable ? cIn : 1);
        if (separable) _pointwise = Layers.Conv3d(cIn, cOut, (1, 1, 1));
        _bn = (norm ?? Norm.Batch).Create(cOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var relu = nn.functional.relu(x);
        using var conv = _conv.call(relu);
        if (_pointwise is null) return _bn.call(conv);
        using var point = _pointwise.call(conv);
        return _bn.call(point);
    }
}
