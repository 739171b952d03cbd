using VideoNas.Nas.Models;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// DARTS' factorized reduce in 3-D: two strided 1×1×1 convolutions, the second on the input shifted
/// by one voxel along every strided axis, concatenated on channels. The shift pads at the far end,
/// so odd sizes give the same output size on both paths.
/// </summary>
public sealed class FactorizedReduce : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _conv1;
    private readonly nn.Module<Tensor, Tensor> _conv2;
    private readonly nn.Module<Tensor, Tensor> _bn;
    private readonly Stride3 _stride;

    public FactorizedReduce(long cIn, long cOut, Stride3 stride, Norm? norm = null) : base(nameof(FactorizedReduce))
    {
        if (cOut % 2 != 0) throw new ArgumentException($"output channels must be even, got {cOut}", nameof(cOut));
        _stride = stride;
        _conv1 = Layers.Conv3d(cIn, cOut / 2, (1, 1, 1), stride.AsTuple);
        _conv2 = Layers.Conv3d(cIn, cOut / 2, (1, 1, 1), stride.AsTuple);
        _bn = (norm ?? Norm.Batch).Create(cOut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var relu = nn.functional.relu(x);
        long shiftT = _stride.Time > 1 ? 1 : 0, shiftS = _stride.Space > 1 ? 1 : 0;
        var padded = nn.functional.pad(relu, [0, shiftS, 0, shiftS, 0, shiftT]);
        var shifted = padded[TensorIndex.Colon, TensorIndex.Colon,
            TensorIndex.Slice(shiftT), TensorIndex.Slice(shiftS), TensorIndex.Slice(shiftS)];
        var both = cat([_conv1.call(relu), _conv2.call(shifted)], 1);
        return _bn.call(both).MoveToOuterDisposeScope();
    }
}
