using TorchSharp.Modules;

namespace VideoNas.Nas.Optim;

/// <summary>
/// Adam with L2 weight decay added to the gradient, PyTorch's <c>torch.optim.Adam</c> rule.
/// Owned for the same reason as <see cref="MomentumSgd"/>: its moments belong in checkpoints.
/// </summary>
public sealed class AdamOptimizer(IReadOnlyList<Parameter> parameters, double lr, double beta1, double beta2,
    double weightDecay, double eps = 1e-8) : IDisposable
{
    private readonly Tensor?[] _m = new Tensor?[parameters.Count];
    private readonly Tensor?[] _v = new Tensor?[parameters.Count];
    private long _step;

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    /// <param name="grads">One gradient per parameter, in order.</param>
    public void Step(IReadOnlyList<Tensor> grads)
    {
        using var noGrad = no_grad();
        _step++;
        double correction1 = 1 - Math.Pow(beta1, _step), correction2 = 1 - Math.Pow(beta2, _step);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            using var scope = NewDisposeScope();
            var g = grads[i].Plus(p, weightDecay);
            var m = _m[i] ??= zeros_like(p).DetachFromDisposeScope();
            var v = _v[i] ??= zeros_like(p).DetachFromDisposeScope();
            m.TimesInPlace(beta1).PlusInPlace(g, 1 - beta1);
            v.TimesInPlace(beta2).AddCMulInPlace(g, g, 1 - beta2);
            var denom = v.DividedBy(correction2).sqrt_().PlusInPlace(eps);
            p.AddCDivInPlace(m, denom, -lr / correction1);
        }
    }

    /// <summary>Steps taken (the bias correction) and the moments by parameter index, for a checkpoint.</summary>
    public (long Steps, IEnumerable<(int Index, Tensor M, Tensor V)> Moments) SavedState() =>
        (_step, _m.Select((m, i) => (i, m, _v[i])).Where(x => x.m is not null).Select(x => (x.i, x.m!, x.Item3!)));

    public void LoadState(long steps, IReadOnlyDictionary<int, (Tensor M, Tensor V)> moments)
    {
        using var noGrad = no_grad();
        _step = steps;
        for (int i = 0; i < _m.Length; i++)
        {
            _m[i]?.Dispose();
            _v[i]?.Dispose();
            (_m[i], _v[i]) = moments.TryGetValue(i, out var mv)
                ? (SavedTensor.CopyLike(mv.M, Parameters[i]), SavedTensor.CopyLike(mv.V, Parameters[i]))
                : (null, null);
        }
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t?.Dispose();
    }
}
