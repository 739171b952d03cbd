using VideoNas.Core.GroundTruth;
using VideoNas.Nas.Optim;
using static VideoNas.Core.GroundTruth.ZeroCostProxyNames;

namespace VideoNas.Nas.Selection;

/// <summary>
/// Zero-cost proxies: scores of an untrained network from one batch, meant to rank architectures before any
/// training (Abdelfattah et al. 2021; Mellor et al. 2021). Each takes a freshly initialised network and may change
/// it (synflow takes |w|), so build one per proxy. Deterministic for a given network and batch.
/// </summary>
public static class ZeroCostProxies
{
    /// <param name="model">scores clips [B, segments, 3, frames, H, W] into logits [B, classes]</param>
    public static double Score(string proxy, nn.Module<Tensor, Tensor> model, Tensor clips, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var parameters = model.parameters().ToArray();
        switch (proxy)
        {
            case GradNorm:
                {
                    // Σ over weight tensors of ‖∂L/∂w‖₂ for the cross-entropy of one batch.
                    model.train();
                    var grads = Gradients.Of(nn.functional.cross_entropy(model.call(clips), labels), parameters);
                    return grads.Sum(g => linalg.vector_norm(g).to(ScalarType.Float64).item<double>());
                }
            case Synflow:
                {
                    // Σ |w ⊙ ∂R/∂w| with R the sum of the outputs of the network with |w| on an all-ones input: data-free,
                    // in float64 because the product over depth overflows float32. Batch statistics would rescale every
                    // layer, so normalisation runs on its initial running statistics (mean 0, variance 1).
                    model.to(ScalarType.Float64);
                    model.eval();
                    var weights = model.parameters().ToArray();
                    using (no_grad()) foreach (var w in weights) w.abs_();
                    var r = model.call(ones_like(clips, ScalarType.Float64)).sum();
                    var grads = Gradients.Of(r, weights);
                    return weights.Zip(grads).Sum(p => p.First.mul(p.Second).abs().sum().item<double>());
                }
            case JacobCov:
                {
                    // Mellor et al.'s first score: the correlation across the batch of the input Jacobians ∂Σy/∂x; a
                    // network whose Jacobians are less correlated separates inputs better. −Σ log(λ + k) + 1/(λ + k) over
                    // the correlation matrix's eigenvalues λ, k = 1e-5.
                    model.train();
                    var x = clips.detach().clone().requires_grad_(true);
                    var jacobian = Gradients.Of(model.call(x).sum(), [x])[0].reshape(clips.shape[0], -1).to(ScalarType.Float64);
                    var centred = jacobian.sub(jacobian.mean([1], keepdim: true));
                    using var tiny = 1e-30.ToScalar();
                    var unit = centred.div(linalg.vector_norm(centred, dims: [1], keepdim: true).clamp_min(tiny));
                    var eigenvalues = linalg.eigvalsh(unit.matmul(unit.t()));
                    const double k = 1e-5;
                    var shifted = eigenvalues.Plus(k);
                    return -shifted.log().Plus(shifted.reciprocal()).sum().item<double>();
                }
            default:
                throw new ArgumentException($"unknown zero-cost proxy \"{proxy}\"; known: {string.Join(", ", All)}", nameof(proxy));
        }
    }
}
