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

/// <summary>1×k×k spatial pooling followed by affine-free normalisation, as DARTS pools are used in mixed ops.</summary>
public sealed class SpatialPool : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _pool;
    private readonly nn.Module<Tensor, Tensor> _bn;

    public SpatialPool(bool max, long channels, Stride3 stride, Norm norm) : base(nameof(SpatialPool))
    {
        _pool = max
            ? nn.MaxPool3d((1, 3, 3), stride: stride.AsTuple, padding: (0, 1, 1))
            : nn.AvgPool3d((1, 3, 3), stride: stride.AsTuple, padding: (0, 1, 1), count_include_pad: false);
        _bn = norm.AffineFree.Create(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var pooled = _pool.call(x);
        return _bn.call(pooled);
    }
}
