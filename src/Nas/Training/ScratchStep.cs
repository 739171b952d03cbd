using VideoNas.Core.Training;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Training;

/// <summary>
/// One training step from scratch: forward (with the auxiliary loss of a derived network), gradients, the
/// non-finite check, clipping, momentum SGD. Shared by <see cref="ScratchTrainer"/> and <c>bench train</c>,
/// so the benchmark times exactly what training runs.
/// </summary>
/// <param name="model">The whole video classifier (segment consensus around the backbone).</param>
/// <param name="derived">The backbone when it is a derived network (its auxiliary logits join the loss), else null.</param>
public sealed class ScratchStep(nn.Module<Tensor, Tensor> model, DerivedNetwork? derived, TrainConfig config, NonFiniteGuard guard) : IDisposable
{
    public MomentumSgd Optimizer { get; } = new(model.parameters().ToArray(), config.Momentum, config.WeightDecay);

    public StepResult Run(ClipBatch batch, string where)
    {
        using var scope = NewDisposeScope();
        var logits = model.call(batch.Clips);
        var loss = nn.functional.cross_entropy(logits, batch.Labels);
        if (derived?.AuxiliaryLogits is { } aux && config.AuxiliaryWeight > 0)
        {
            var auxVideo = aux.reshape(batch.Count, -1, aux.shape[^1]).mean([1]);
            loss = loss.Plus(nn.functional.cross_entropy(auxVideo, batch.Labels), config.AuxiliaryWeight);
        }
        var grads = Gradients.Of(loss, Optimizer.Parameters);
        double lossValue = loss.to(ScalarType.Float64).item<double>();
        double norm = guard.Check(lossValue, Optimizer.Parameters, grads, $"training {where}");
        Gradients.ClipByGlobalNorm(grads, config.GradClip, norm);
        Optimizer.Step(grads.ToList());
        long correct = logits.argmax(1).eq(batch.Labels).sum().item<long>();
        return new StepResult(lossValue, (double)correct / batch.Count, batch.Count);
    }

    public void Dispose() => Optimizer.Dispose();
}
