using VideoNas.Nas.Models;

namespace VideoNas.Nas.Supernet;

/// <summary>The <c>none</c> operation: zeros of the strided output shape.</summary>
public sealed class Zero : nn.Module<Tensor, Tensor>
{
    private readonly Stride3 _stride;
    public Zero(Stride3 stride) : base(nameof(Zero)) => _stride = stride;

    public override Tensor forward(Tensor x)
    {
        if (_stride.IsOne) return x.Times(0.0);
        using var strided = x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, _stride.Time),
            TensorIndex.Slice(null, null, _stride.Space), TensorIndex.Slice(null, null, _stride.Space)];
        return strided.Times(0.0);
    }
}

/// <summary>Identity that still returns a tensor the caller owns, so dispose scopes treat every op alike.</summary>
public sealed class Identity : nn.Module<Tensor, Tensor>
{
    public Identity() : base(nameof(Identity)) { }
    public override Tensor forward(Tensor x) => x.alias();
}

/// <summary>1×3×3 (or 3×3×3) pooling followed by affine-free normalisation, as DARTS pools are used in mixed ops.</summary>
public sealed class SpatialPool : nn.Module<Tensor, Tensor>
{
    private readonly bool _max;
    private readonly long[] _kernel, _stride, _padding;
    private readonly nn.Module<Tensor, Tensor> _bn;

    /// <param name="temporal">3×3×3 instead of 1×3×3.</param>
    public SpatialPool(bool max, long channels, Stride3 stride, Norm norm, bool temporal = false) : base(nameof(SpatialPool))
    {
        _max = max;
        _kernel = [temporal ? 3 : 1, 3, 3];
        _padding = [temporal ? 1 : 0, 1, 1];
        _stride = [stride.AsTuple.Item1, stride.AsTuple.Item2, stride.AsTuple.Item3];
        _bn = norm.AffineFree.Create(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var pooled = _max ? ChannelsLastMaxPool.Apply(x, _kernel, _stride, _padding)
            : _kernel[0] == 1 ? nn.functional.avg_pool3d(x, _kernel, _stride, _padding, count_include_pad: false) : Average(x);
        return _bn.call(pooled);
    }

    /// <summary>
    /// The 3×3×3 mean over the window's cells inside the input (count_include_pad off). ATen's avg_pool3d refuses
    /// an input shorter than the kernel even when padding covers it (two frames under a 3×3×3 kernel), so the
    /// padding is explicit and the mean is the padded sum over the count of real cells.
    /// </summary>
    private Tensor Average(Tensor x)
    {
        long[] pad = [_padding[2], _padding[2], _padding[1], _padding[1], _padding[0], _padding[0]];
        using var padded = nn.functional.pad(x, pad);
        using var ones = torch.ones([1, 1, x.shape[2], x.shape[3], x.shape[4]], dtype: x.dtype, device: x.device);
        using var paddedOnes = nn.functional.pad(ones, pad);
        using var sum = nn.functional.avg_pool3d(padded, _kernel, _stride);
        using var count = nn.functional.avg_pool3d(paddedOnes, _kernel, _stride);
        return sum.div(count);
    }
}
