using VideoNas.Nas.Models;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// One supernet edge: Σ_k w_k · op_k(x) over the candidate operations. <c>none</c> adds exact zeros,
/// so it is skipped in the sum; its weight still shapes the others through the softmax.
/// With partial channels (PC-DARTS, K &gt; 1) only the first C/K channels go through the ops; the rest
/// bypass them (max-pooled when the edge strides), and a channel shuffle mixes the two parts.
/// Fused (the default), the sum runs as a <see cref="FusedEdge"/>: the same function in fewer, wider calls;
/// the per-operation sum here stays the reference it is tested against, and runs a projected mixing.
/// </summary>
public sealed class MixedOp : nn.Module
{
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> _ops = new();
    private readonly bool[] _isNone;
    private readonly int _partial;
    private readonly Stride3 _stride;
    private readonly FusedEdge? _fused;

    public MixedOp(IReadOnlyList<string> primitives, long channels, Stride3 stride, int partialChannels = 1, Norm? norm = null, bool fused = true)
        : base(nameof(MixedOp))
    {
        if (channels % partialChannels != 0)
            throw new ArgumentException($"{channels} channels cannot be split into {partialChannels} parts", nameof(partialChannels));
        _isNone = primitives.Select(p => p == Core.Search.Primitives.None).ToArray();
        _partial = partialChannels;
        _stride = stride;
        foreach (var p in primitives) _ops.Add(OperationFactory.Create(p, channels / partialChannels, stride, (norm ?? Norm.Batch).AffineFree));
        RegisterComponents();
        // Built after registration and not a module: it runs the operations' own weights, registered once, above.
        _fused = fused ? FusedEdge.Plan([.. _ops], _isNone) : null;
    }

    /// <param name="weights">1-D, one softmax weight per primitive.</param>
    /// <param name="constant">the same weights as numbers, when they are constants (a projected mixing): operations weighted 0 are not run</param>
    public Tensor Forward(Tensor x, Tensor weights, IReadOnlyList<float>? constant = null) =>
        Partial(x, active => _fused is not null && constant is null ? _fused.Mix(active, weights) : Mix(active, weights, constant));

    /// <summary>Operation <paramref name="op"/> alone, with weight 1: the edge as a sub-network of the supernet has it.</summary>
    public Tensor ForwardOne(Tensor x, int op) => Partial(x, _ops[op].call);

    private Tensor Partial(Tensor x, Func<Tensor, Tensor> mix)
    {
        using var scope = NewDisposeScope();
        if (_partial == 1) return mix(x).MoveToOuterDisposeScope();
        long part = x.shape[1] / _partial;
        var active = x.narrow(1, 0, part);
        var bypass = x.narrow(1, part, x.shape[1] - part);
        if (!_stride.IsOne)
        {
            var kernel = _stride.AsTuple;
            long[] window = [kernel.Item1, kernel.Item2, kernel.Item3];
            bypass = ChannelsLastMaxPool.Apply(bypass, window, window, [0, 0, 0], ceilMode: true);
        }
        return ChannelShuffle(cat([mix(active), bypass], 1), _partial).MoveToOuterDisposeScope();
    }

    private Tensor Mix(Tensor x, Tensor weights, IReadOnlyList<float>? constant)
    {
        Tensor? sum = null;
        for (int k = 0; k < _ops.Count; k++)
        {
            if (_isNone[k] || constant?[k] == 0) continue;
            var term = _ops[k].call(x).mul(weights[k]);
            sum = sum is null ? term : sum.PlusInPlace(term);
        }
        return sum ?? _ops[0].call(x).mul(weights[0]);
    }

    /// <summary>[N, g·c, ...] → interleave the g groups channel by channel, as in ShuffleNet and PC-DARTS.</summary>
    public static Tensor ChannelShuffle(Tensor x, int groups)
    {
        var shape = x.shape;
        long perGroup = shape[1] / groups;
        return x.reshape([shape[0], groups, perGroup, .. shape[2..]]).transpose(1, 2).reshape(shape);
    }
}
