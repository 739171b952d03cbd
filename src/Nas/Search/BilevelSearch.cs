using TorchSharp;
using TorchSharp.Modules;
using VideoNas.Core.Search;
using VideoNas.Nas.Supernet;
using static TorchSharp.torch;

namespace VideoNas.Nas.Search;

/// <summary>
/// DARTS' alternating optimisation: w by SGD (cosine schedule, gradient clipping) on the training half,
/// α by Adam on the held-out half. This is the first-order variant; every step runs in its own dispose scope.
/// </summary>
public sealed class BilevelSearch : IDisposable
{
    private readonly optim.Optimizer _weightOptimizer;
    private readonly optim.Optimizer _archOptimizer;
    private readonly optim.lr_scheduler.LRScheduler _schedule;
    private readonly Parameter[] _weights;
    private static readonly object SeedGate = new();

    public SearchNetwork Model { get; }
    public SearchConfig Config { get; }
    public Device Device { get; }

    public BilevelSearch(SearchConfig config, int classes, Device? device = null)
    {
        TorchRuntime.Initialize();
        Config = config.Validated();
        Device = device ?? CPU;
        // Initialisation draws from the process-wide generator: seed and build under one lock, so the
        // supernet is a function of the seed even when several trials start at once.
        lock (SeedGate)
        {
            random.manual_seed(config.Seed);
            Model = new SearchNetwork(config, classes);
        }
        Model.to(Device);
        _weights = Model.WeightParameters.ToArray();
        _weightOptimizer = optim.SGD(_weights, config.WeightLr, momentum: config.WeightMomentum, weight_decay: config.WeightDecay);
        _archOptimizer = optim.Adam(Model.ArchParameters, config.ArchLr, beta1: config.ArchBeta1, beta2: config.ArchBeta2,
            weight_decay: config.ArchWeightDecay);
        _schedule = optim.lr_scheduler.CosineAnnealingLR(_weightOptimizer, config.Epochs, config.WeightLrMin);
    }

    /// <summary>One α step on a held-out batch.</summary>
    public StepResult ArchStep(ClipBatch validation)
    {
        using var scope = NewDisposeScope();
        Model.train();
        _archOptimizer.zero_grad();
        var (loss, result) = LossOn(validation);
        loss.backward();
        _archOptimizer.step();
        return result;
    }

    /// <summary>One w step on a training batch; α is frozen so no gradient is spent on it.</summary>
    public StepResult WeightStep(ClipBatch train)
    {
        using var scope = NewDisposeScope();
        Model.train();
        foreach (var a in Model.ArchParameters) a.requires_grad_(false);
        try
        {
            _weightOptimizer.zero_grad();
            var (loss, result) = LossOn(train);
            loss.backward();
            nn.utils.clip_grad_norm_(_weights, Config.GradClip);
            _weightOptimizer.step();
            return result;
        }
        finally
        {
            foreach (var a in Model.ArchParameters) a.requires_grad_(true);
        }
    }

    public StepResult Evaluate(ClipBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Model.eval();
        return LossOn(batch).Result;
    }

    /// <summary>Advances the cosine schedule; call once at the end of every epoch.</summary>
    public void EndEpoch() => _schedule.step();

    public double WeightLearningRate => _weightOptimizer.ParamGroups.First().LearningRate;

    private (Tensor Loss, StepResult Result) LossOn(ClipBatch batch)
    {
        var clips = batch.Clips.to(Device);
        var labels = batch.Labels.to(Device);
        var logits = Model.call(clips);
        var loss = nn.functional.cross_entropy(logits, labels);
        long correct = logits.argmax(1).eq(labels).sum().item<long>();
        return (loss, new StepResult(loss.item<float>(), (double)correct / batch.Count, batch.Count));
    }

    public void Dispose()
    {
        _weightOptimizer.Dispose();
        _archOptimizer.Dispose();
        Model.Dispose();
    }
}
