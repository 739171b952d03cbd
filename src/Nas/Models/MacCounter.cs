namespace VideoNas.Nas.Models;

/// <summary>
/// Counts multiply-accumulates during one forward pass on this thread. Layers built through
/// <see cref="Layers"/> report to it; nothing is counted outside <see cref="Measure"/>.
/// </summary>
public static class MacCounter
{
    [ThreadStatic] private static long? _macs;

    internal static void Add(long macs)
    {
        if (_macs is { } m) _macs = m + macs;
    }

    /// <summary>MACs of one forward pass of <paramref name="model"/> on <paramref name="input"/> (no gradient).</summary>
    public static long Measure(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        _macs = 0;
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.eval();
            model.call(input);
            return _macs.Value;
        }
        finally
        {
            _macs = null;
        }
    }
}
