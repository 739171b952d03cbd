namespace VideoNas.Nas.Optim;

public static class Gradients
{
    /// <summary>∂loss/∂inputs, with zeros for inputs the loss does not reach.</summary>
    public static IList<Tensor> Of(Tensor loss, IReadOnlyList<Tensor> inputs)
    {
        var grads = autograd.grad([loss], inputs.ToList(), allow_unused: true);
        // An input the loss does not reach comes back as null or as a tensor without a handle.
        return inputs.Select((p, i) => grads[i] is { IsInvalid: false } g ? g : zeros_like(p)).ToList();
    }

    /// <summary>‖(t₁, …, tₙ)‖₂, read once: a norm per tensor (no tensor-sized temporary), summed in float64.</summary>
    public static double GlobalNorm(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var norms = tensors.Select(t => linalg.vector_norm(t)).ToArray();
        return norms.Length == 0 ? 0 : linalg.vector_norm(stack(norms).to(ScalarType.Float64)).item<double>();
    }

    /// <summary>PyTorch's clip_grad_norm_ rule: scale by max/(‖g‖ + 1e-6) when that is below 1.</summary>
    /// <param name="norm">‖g‖ if the caller has it already.</param>
    public static void ClipByGlobalNorm(IList<Tensor> grads, double max, double? norm = null)
    {
        double coefficient = max / ((norm ?? GlobalNorm(grads)) + 1e-6);
        if (coefficient >= 1) return;
        using var noGrad = no_grad();
        foreach (var g in grads) g.TimesInPlace(coefficient);
    }
}
