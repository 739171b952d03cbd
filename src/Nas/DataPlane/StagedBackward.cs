using TorchSharp.Modules;

namespace VideoNas.Nas.DataPlane;

/// <summary>
/// One piece of a network's backward pass: from <paramref name="Output"/> (the loss, for the first
/// stage) down to <paramref name="Inputs"/>, leaves that stand in for what the stages below produced.
/// <paramref name="Cut"/> is the leaf that stands in for this stage's output in the stages above. The
/// gradients of <paramref name="Parameters"/> are final once it has run.
/// </summary>
public sealed record BackwardStage(IReadOnlyList<Parameter> Parameters, Tensor Output, Tensor? Cut, IReadOnlyList<Tensor> Inputs);

/// <summary>
/// ∂loss/∂parameters computed stage by stage, each stage an <c>autograd.grad</c> over its own part of
/// the graph. TorchSharp has no gradient hooks, so this is how a replica learns that a layer's
/// gradients are ready before the whole backward has finished.
/// </summary>
public static class StagedBackward
{
    /// <summary>
    /// Runs the stages in order, the first starting from the loss; a stage's cut may only be an input
    /// of the stages before it. <paramref name="onStage"/> gets each stage's parameter
    /// gradients (zeros for parameters the loss does not reach) as soon as they are final.
    /// </summary>
    public static void Run(IReadOnlyList<BackwardStage> stages, Action<BackwardStage, IReadOnlyList<Tensor>> onStage)
    {
        var pending = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var inputs = stage.Inputs.Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToList();
            Tensor? outputGrad = null;
            if (s > 0 && (stage.Cut is null || !pending.Remove(stage.Cut, out outputGrad)))
            {
                onStage(stage, stage.Parameters.Select(p => zeros_like(p)).ToList());
                continue;
            }
            var wanted = stage.Parameters.Cast<Tensor>().Concat(inputs).ToList();
            var grads = autograd.grad([stage.Output], wanted, outputGrad is null ? null : [outputGrad], allow_unused: true);
            outputGrad?.Dispose();
            for (int i = 0; i < inputs.Count; i++)
            {
                var g = grads[stage.Parameters.Count + i];
                if (g is null) continue;
                pending[inputs[i]] = pending.TryGetValue(inputs[i], out var sum) ? sum.PlusInPlace(g) : g;
            }
            onStage(stage, stage.Parameters.Select((p, i) => grads[i] ?? zeros_like(p)).ToList());
        }
    }
}
