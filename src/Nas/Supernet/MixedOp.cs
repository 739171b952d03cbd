using TorchSharp;
using static TorchSharp.torch;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// One supernet edge: Σ_k w_k · op_k(x) over the candidate operations. <c>none</c> adds exact zeros,
/// so it is skipped in the sum; its weight still shapes the others through the softmax.
/// </summary>
public sealed class MixedOp : nn.Module
{
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> _ops = new();
    private readonly bool[] _isNone;

    public MixedOp(IReadOnlyList<string> primitives, long channels, Stride3 stride) : base(nameof(MixedOp))
    {
        _isNone = primitives.Select(p => p == Core.Search.Primitives.None).ToArray();
        // Affine-free BatchNorm, as in DARTS search: learned scales would blur the comparison of α.
        foreach (var p in primitives) _ops.Add(OperationFactory.Create(p, channels, stride, affine: false));
        RegisterComponents();
    }

    /// <param name="weights">1-D, one softmax weight per primitive.</param>
    public Tensor Forward(Tensor x, Tensor weights)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        for (int k = 0; k < _ops.Count; k++)
        {
            if (_isNone[k]) continue;
            var term = _ops[k].call(x).mul(weights[k]);
            sum = sum is null ? term : sum.add_(term);
        }
        sum ??= _ops[0].call(x).mul(weights[0]);
        return sum.MoveToOuterDisposeScope();
    }
}
