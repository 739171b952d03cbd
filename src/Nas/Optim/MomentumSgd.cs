using TorchSharp.Modules;

namespace VideoNas.Nas.Optim;

/// <summary>
/// SGD with momentum and L2 weight decay, exactly PyTorch's rule (dampening 0):
/// d = g + wd·w; buf = μ·buf + d; w −= lr·buf. Owned here, not taken from TorchSharp, because
/// second-order DARTS needs the step it would take (<see cref="VirtualStep"/>) without taking it,
/// and checkpoints need the buffers.
/// </summary>
public sealed class MomentumSgd(IReadOnlyList<Parameter> parameters, double momentum, double weightDecay) : IDisposable
{
    private readonly Tensor?[] _buffers = new Tensor?[parameters.Count];

    public IReadOnlyList<Parameter> Parameters { get; } = parameters;
    public double LearningRate { get; set; }

    /// <param name="grads">One gradient per parameter, in order.</param>
    /// <param name="skip">parameters to leave as they are, buffer included (PyTorch's rule for a parameter without a gradient)</param>
    public void Step(IReadOnlyList<Tensor> grads, Func<int, bool>? skip = null)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (skip?.Invoke(i) == true) continue;
            var p = Parameters[i];
            using var d = grads[i].Plus(p, weightDecay);
            if (_buffers[i] is { } buf) buf.TimesInPlace(momentum).PlusInPlace(d);
            else _buffers[i] = d.detach().clone().DetachFromDisposeScope();
            p.PlusInPlace(_buffers[i]!, -LearningRate);
        }
    }

    /// <summary>Moves the parameters in place to w − lr·(μ·buf + g + wd·w), leaving the buffers as they are.</summary>
    public void VirtualStep(IReadOnlyList<Tensor> grads)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            using var d = grads[i].Plus(p, weightDecay);
            if (_buffers[i] is { } buf) d.PlusInPlace(buf, momentum);
            p.PlusInPlace(d, -LearningRate);
        }
    }

    /// <summary>The momentum buffers for a checkpoint, by parameter index; a parameter never stepped has none.</summary>
    public IEnumerable<(int Index, Tensor Buffer)> SavedState() =>
        _buffers.Select((b, i) => (i, b)).Where(x => x.b is not null).Select(x => (x.i, x.b!));

    /// <summary>Replaces every buffer with a copy of the saved one (none where none was saved).</summary>
    public void LoadState(IReadOnlyDictionary<int, Tensor> buffers)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _buffers.Length; i++)
        {
            _buffers[i]?.Dispose();
            _buffers[i] = buffers.TryGetValue(i, out var b) ? SavedTensor.CopyLike(b, Parameters[i]) : null;
        }
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b?.Dispose();
    }
}
