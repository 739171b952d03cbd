using TorchSharp.Modules;
using VideoNas.Core.DataPlane;
using VideoNas.Core.Search;
using VideoNas.Nas.DataPlane;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Search;

/// <summary>
/// DARTS' bilevel optimisation: w by momentum SGD (cosine schedule, gradient clipping) on the training
/// half, α by Adam on the held-out half. The α gradient is first order (∇α L_val(w, α)) or second order:
/// ∇α L_val(w′, α) − η ∇²α,w L_train(w, α) · ∇w′ L_val(w′, α), with w′ the unrolled SGD step and the
/// Hessian-vector product by central differences at w ± R·v, R = hessian_step / ‖v‖ (0.01 in DARTS). Every step runs in its own
/// dispose scope. As one replica of a data-parallel search, every gradient it computes (including those
/// inside the second-order step) is averaged across the replicas before use.
/// </summary>
public sealed class BilevelSearch : IDisposable
{
    private readonly MomentumSgd _weightOptimizer;
    private readonly AdamOptimizer _archOptimizer;
    private readonly Parameter[] _weights;
    private readonly string[] _weightNames;
    private readonly Parameter[] _alphas;
    private readonly ReplicaSync _replicas;
    private readonly NonFiniteGuard _guard;
    private int _epoch;

    public SearchNetwork Model { get; }
    public SearchConfig Config { get; }
    public Device Device { get; }

    public BilevelSearch(SearchConfig config, int classes, Device? device = null, ScalarType dtype = ScalarType.Float32,
        IGradientReducer? replicas = null)
    {
        Config = config.Validated();
        TorchRuntime.RequireCorrectKernels();
        Device = device ?? CPU;
        Model = new SearchNetwork(config, classes);
        SeededInit.Apply(Model, config.Seed);
        Model.to(dtype).to(Device);
        _weights = Model.WeightParameters.ToArray();
        _weightNames = Model.NamedWeights.Select(p => p.name).ToArray();
        _alphas = Model.ArchParameters.ToArray();
        _weightOptimizer = new MomentumSgd(_weights, config.WeightMomentum, config.WeightDecay);
        _archOptimizer = new AdamOptimizer(_alphas, config.ArchLr, config.ArchBeta1, config.ArchBeta2, config.ArchWeightDecay);
        _weightOptimizer.LearningRate = WeightLearningRate;
        _replicas = new ReplicaSync(replicas ?? new SingleReplica(), () => Model.buffers(), (long)(config.ReduceBucketMb * 1048576));
        _guard = new NonFiniteGuard(Model, () => $"Try a lower weight_lr (now {Config.WeightLr:G3}) or arch_lr (now {Config.ArchLr:G3}); " +
            "if the defaults fail too, `videonas doctor` checks this machine's kernels.");
    }

    /// <summary>The replica link, with the time this replica has spent in all-reduces.</summary>
    public ReplicaSync Replicas => _replicas;

    /// <summary>A digest of w, α and the normalisation buffers; replicas in step have equal checksums.</summary>
    public string Checksum() => ReplicaSync.Checksum([.. _weights, .. _alphas, .. Model.buffers()]);

    /// <summary>Epochs finished (the cosine schedule's position).</summary>
    public int Epoch => _epoch;

    /// <summary>
    /// Everything a later run needs to continue exactly as this one would: w, α, the normalisation
    /// buffers, the momentum buffers, Adam's moments and step count, and the epoch. The tensors are the
    /// live ones, not copies; write them out before the next step.
    /// </summary>
    public SearchState SaveState()
    {
        var tensors = new List<(string, Tensor)>();
        tensors.AddRange(_weights.Select((p, i) => ($"w.{i}", (Tensor)p)));
        tensors.AddRange(_alphas.Select((p, i) => ($"alpha.{i}", (Tensor)p)));
        tensors.AddRange(Model.named_buffers().Select(b => ($"buffer.{b.name}", b.buffer)));
        tensors.AddRange(_weightOptimizer.SavedState().Select(b => ($"sgd.{b.Index}", b.Buffer)));
        var (archSteps, moments) = _archOptimizer.SavedState();
        foreach (var (i, m, v) in moments) tensors.AddRange([($"adam.m.{i}", m), ($"adam.v.{i}", v)]);
        return new SearchState(_epoch, archSteps, tensors);
    }

    /// <summary>Puts this search where <paramref name="state"/> was; <paramref name="source"/> names it in errors.</summary>
    public void LoadState(SearchState state, string source)
    {
        var saved = state.Tensors.ToDictionary(t => t.Name, t => t.Tensor);
        Tensor Saved(string name, Tensor like)
        {
            if (!saved.TryGetValue(name, out var t)) throw new CheckpointUnreadableException(source, $"no tensor {name}; the checkpoint is from another search configuration");
            if (!t.shape.SequenceEqual(like.shape))
                throw new CheckpointUnreadableException(source,
                    $"tensor {name} has shape [{string.Join(", ", t.shape)}] but this search's is [{string.Join(", ", like.shape)}]; the checkpoint is from another search configuration");
            return t;
        }
        using (no_grad())
        {
            for (int i = 0; i < _weights.Length; i++) _weights[i].copy_(Saved($"w.{i}", _weights[i]));
            for (int i = 0; i < _alphas.Length; i++) _alphas[i].copy_(Saved($"alpha.{i}", _alphas[i]));
            foreach (var (name, buffer) in Model.named_buffers()) buffer.copy_(Saved($"buffer.{name}", buffer));
        }
        _weightOptimizer.LoadState(Enumerable.Range(0, _weights.Length).Where(i => saved.ContainsKey($"sgd.{i}"))
            .ToDictionary(i => i, i => Saved($"sgd.{i}", _weights[i])));
        _archOptimizer.LoadState(state.ArchSteps, Enumerable.Range(0, _alphas.Length).Where(i => saved.ContainsKey($"adam.m.{i}"))
            .ToDictionary(i => i, i => (Saved($"adam.m.{i}", _alphas[i]), Saved($"adam.v.{i}", _alphas[i]))));
        _epoch = state.Epoch;
        _weightOptimizer.LearningRate = WeightLearningRate;
    }

    public double WeightLearningRate => CosineSchedule.At(_epoch, Config.Epochs, Config.WeightLr, Config.WeightLrMin);

    /// <summary>
    /// One α step on a held-out batch. With <paramref name="train"/> the gradient is second order;
    /// without it, first order.
    /// </summary>
    public StepResult ArchStep(ClipBatch validation, ClipBatch? train = null)
    {
        using var scope = NewDisposeScope();
        Model.train();
        var (grads, result) = ArchGradient(validation, train);
        _guard.Check(result.Loss, _alphas, grads, train is null ? "the α step on the α-split" : "the second-order α step (α-split, unrolled on the w-split)");
        _archOptimizer.Step(grads.ToList());
        return result;
    }

    /// <summary>One w step on a training batch; no gradient is spent on α.</summary>
    public StepResult WeightStep(ClipBatch train)
    {
        using var scope = NewDisposeScope();
        Model.train();
        IList<Tensor> grads;
        StepResult result;
        if (_replicas.Overlaps)
        {
            var (logits, stages) = Model.ForwardStaged(Input(train));
            var (loss, r) = Scored(logits, train);
            (grads, result) = (_replicas.OverlappedGradients(stages(loss), _weights), r);
        }
        else
        {
            (var loss, result) = LossOn(train);
            grads = Averaged(Gradients.Of(loss, _weights));
        }
        double norm = _guard.Check(result.Loss, _weights, grads, "the w step on the w-split");
        Gradients.ClipByGlobalNorm(grads, Config.GradClip, norm);
        _weightOptimizer.Step(grads.ToList(), Model.Path is null ? null : i => Model.IsOffPath(_weightNames[i]));
        return result;
    }

    public StepResult Evaluate(ClipBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Model.eval();
        return LossOn(batch).Result;
    }

    /// <summary>Advances the cosine schedule; call once at the end of every epoch.</summary>
    public void EndEpoch()
    {
        _epoch++;
        _weightOptimizer.LearningRate = WeightLearningRate;
    }

    /// <summary>
    /// L_val(w′(α), α) with w′ the unrolled SGD step from the current w on <paramref name="train"/>;
    /// the function whose α gradient the second-order step approximates. Leaves w unchanged.
    /// </summary>
    public double UnrolledValidationLoss(ClipBatch train, ClipBatch validation)
    {
        using var scope = NewDisposeScope();
        Model.train();
        var backup = Snapshot();
        try
        {
            UnrolledStep(train);
            using var noGrad = no_grad();
            return LossOn(validation).Loss.item<double>();
        }
        finally
        {
            Restore(backup);
        }
    }

    /// <summary>
    /// The α gradient an <see cref="ArchStep"/> would apply (second order when <paramref name="train"/> is given).
    /// Call inside a dispose scope; w is unchanged afterwards.
    /// </summary>
    public (IList<Tensor> Grads, StepResult Result) ArchGradient(ClipBatch validation, ClipBatch? train = null)
    {
        Model.train();
        return train is null ? FirstOrderArchGradient(validation) : SecondOrderArchGradient(train, validation);
    }

    private (IList<Tensor> Grads, StepResult Result) FirstOrderArchGradient(ClipBatch validation)
    {
        var (loss, result) = LossOn(validation);
        return (Averaged(Gradients.Of(loss, _alphas)), result);
    }

    private (IList<Tensor> Grads, StepResult Result) SecondOrderArchGradient(ClipBatch train, ClipBatch validation)
    {
        var backup = Snapshot();
        try
        {
            UnrolledStep(train);
            var (grads, result) = GradientsOn(validation, [.. _alphas, .. _weights]);
            var alphaGrads = grads.Take(_alphas.Length).ToList();
            var v = grads.Skip(_alphas.Length).ToList();
            double vNorm = _guard.Check(result.Loss, _weights, v, "the second-order α step (the α-split loss at the unrolled w′)");

            Restore(backup);
            double r = Config.HessianStep / vNorm;
            Shift(v, r);
            var gPlus = GradientsOn(train, _alphas).Grads;
            Shift(v, -2 * r);
            var gMinus = GradientsOn(train, _alphas).Grads;

            double eta = _weightOptimizer.LearningRate;
            for (int i = 0; i < alphaGrads.Count; i++)
                alphaGrads[i] = alphaGrads[i].Plus(gPlus[i].sub(gMinus[i]).DividedBy(2 * r), -eta);
            return (alphaGrads, result);
        }
        finally
        {
            Restore(backup);
        }
    }

    /// <summary>Moves w in place to w′ = w − η(μ·buf + ∇w L_train + wd·w).</summary>
    private void UnrolledStep(ClipBatch train)
    {
        using var scope = NewDisposeScope();
        _weightOptimizer.VirtualStep(GradientsOn(train, _weights).Grads.ToList());
    }

    /// <summary>
    /// ∂L/∂<paramref name="of"/> on a batch, averaged over replicas. Its forward's tensors are disposed before it
    /// returns: the second-order step runs four forwards, and without this the handles of one stayed alive
    /// into the next and doubled the peak memory.
    /// </summary>
    private (IList<Tensor> Grads, StepResult Result) GradientsOn(ClipBatch batch, IReadOnlyList<Tensor> of)
    {
        using var scope = NewDisposeScope();
        var (loss, result) = LossOn(batch);
        var grads = Averaged(Gradients.Of(loss, of));
        foreach (var g in grads) g.MoveToOuterDisposeScope();
        return (grads, result);
    }

    private IList<Tensor> Averaged(IList<Tensor> grads)
    {
        _replicas.AllReduceMean(grads);
        return grads;
    }

    private Tensor[] Snapshot()
    {
        using var noGrad = no_grad();
        return _weights.Select(p => p.detach().clone()).ToArray();
    }

    private void Restore(Tensor[] backup)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _weights.Length; i++) _weights[i].copy_(backup[i]);
    }

    private void Shift(IReadOnlyList<Tensor> direction, double scale)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _weights.Length; i++) _weights[i].PlusInPlace(direction[i], scale);
    }

    private (Tensor Loss, StepResult Result) LossOn(ClipBatch batch) => Scored(Model.call(Input(batch)), batch);

    private Tensor Input(ClipBatch batch) => batch.Clips.to(_weights[0].dtype).to(Device);

    private (Tensor Loss, StepResult Result) Scored(Tensor logits, ClipBatch batch)
    {
        var labels = batch.Labels.to(Device);
        var loss = nn.functional.cross_entropy(logits, labels);
        long correct = logits.argmax(1).eq(labels).sum().item<long>();
        return (loss, new StepResult(loss.to(ScalarType.Float64).item<double>(), (double)correct / batch.Count, batch.Count));
    }

    public void Dispose()
    {
        _weightOptimizer.Dispose();
        _archOptimizer.Dispose();
        Model.Dispose();
    }
}

/// <summary>A search's resumable state: named tensors, the finished epochs and Adam's step count.</summary>
public sealed record SearchState(int Epoch, long ArchSteps, IReadOnlyList<(string Name, Tensor Tensor)> Tensors);
