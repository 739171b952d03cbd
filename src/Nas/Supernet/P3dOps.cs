namespace VideoNas.Nas.Supernet;

/// <summary>The three pseudo-3D blocks of Qiu et al., each from a spatial 1×k×k and a temporal k×1×1 unit.</summary>
public enum P3dVariant
{
    /// <summary>Serial: spatial, then temporal.</summary>
    A,
    /// <summary>Parallel: spatial and temporal on the same input, summed.</summary>
    B,
    /// <summary>Serial with a residual from the spatial output.</summary>
    C,
}

public sealed class P3dOp : nn.Module<Tensor, Tensor>
{
    private readonly P3dVariant _variant;
    private readonly ConvUnit _spatial;
    private readonly ConvUnit _temporal;

    internal P3dVariant Variant => _variant;
    internal ConvUnit Spatial => _spatial;
    internal ConvUnit Temporal => _temporal;

    public P3dOp(P3dVariant variant, long channels, int k, Stride3 stride, Norm? norm = null) : base($"P3d{variant}")
    {
        _variant = variant;
        _spatial = new ConvUnit(channels, channels, (1, k, k), stride, norm: norm);
        // In the parallel form both branches see the block input, so both must apply the stride.
        _temporal = new ConvUnit(channels, channels, (k, 1, 1), variant == P3dVariant.B ? stride : Stride3.One, norm: norm);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var s = _spatial.call(x);
        var result = _variant switch
        {
            P3dVariant.A => _temporal.call(s),
            P3dVariant.B => s.Plus(_temporal.call(x)),
            _ => s.Plus(_temporal.call(s)),
        };
        return result.MoveToOuterDisposeScope();
    }
}
