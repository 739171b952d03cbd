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

    /// <summary>The first convolution's hyper-parameters: dense units of one shape on one input can run as one wider convolution.</summary>
    internal ConvShape Shape { get; }

    internal bool Separable => _pointwise is not null;

    /// <summary>The first (for a dense unit, the only) convolution's weight, [cOut, cIn, kT, kH, kW].</summary>
    internal Tensor Weight => Layers.ConvWeight(_conv);

    /// <summary>The unit's BatchNorm; null when it normalises per sample.</summary>
    internal FunctionalBatchNorm? BatchNorm => _bn as FunctionalBatchNorm;

    public ConvUnit(long cIn, long cOut, (int T, int H, int W) kernel, Stride3 stride,
        (int T, int H, int W)? dilation = null, bool separable = false, Norm? norm = null)
        : base(nameof(ConvUnit))
    {
        var d = dilation ?? (1, 1, 1);
        var padding = ((long)d.T * (kernel.T - 1) / 2, (long)d.H * (kernel.H - 1) / 2, (long)d.W * (kernel.W - 1) / 2);
        Shape = new ConvShape([kernel.T, kernel.H, kernel.W], [stride.Time, stride.Space, stride.Space],
            [padding.Item1, padding.Item2, padding.Item3], [d.T, d.H, d.W]);
        _conv = Layers.Conv3d(cIn, separable ? cIn : cOut, (kernel.T, kernel.H, kernel.W), stride.AsTuple,
            padding, (d.T, d.H, d.W), groups: separable ? cIn : 1);
        if (separable) _pointwise = Layers.Conv3d(cIn, cOut, (1, 1, 1));
        _bn = (norm ?? Norm.Batch).Create(cOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var relu = nn.functional.relu(x);
        return AfterRelu(relu);
    }

    /// <summary>The unit on an input whose ReLU has been taken already (a fused edge takes it once for all its units).</summary>
    internal Tensor AfterRelu(Tensor relu)
    {
        using var conv = _conv.call(relu);
        if (_pointwise is null) return _bn.call(conv);
        using var point = _pointwise.call(conv);
        return _bn.call(point);
    }
}

/// <summary>A convolution's kernel, stride, padding and dilation (time, height, width); equal shapes compare equal.</summary>
internal sealed record ConvShape(long[] Kernel, long[] Stride, long[] Padding, long[] Dilation)
{
    public bool Equals(ConvShape? other) => other is not null && Kernel.SequenceEqual(other.Kernel) && Stride.SequenceEqual(other.Stride)
        && Padding.SequenceEqual(other.Padding) && Dilation.SequenceEqual(other.Dilation);

    public override int GetHashCode() => HashCode.Combine(Kernel[0], Kernel[1], Kernel[2], Stride[0], Stride[1], Dilation[1]);

    /// <summary>Multiply-accumulates per output element of a dense convolution with <paramref name="inputChannels"/> per group.</summary>
    public long MacsPerOutput(long inputChannels) => inputChannels * Kernel[0] * Kernel[1] * Kernel[2];
}
