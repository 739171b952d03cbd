using VideoNas.Core.Diagnostics;
using VideoNas.Core.Training;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Training;

public sealed record TrainBenchmarkResult(long Parameters, int Steps, double SecondsPerStep, double ClipsPerSecond, long PeakRssBytes);

/// <summary>
/// Times the from-scratch training step (<see cref="ScratchStep"/>, as <c>train</c> runs it) on random clips of
/// the training config's shape: decoding excluded, drop-path at the config's final probability.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchmarkResult Run(nn.Module<Tensor, Tensor> backbone, TrainConfig config, int classes, int steps, int warmup)
    {
        using var model = new SegmentConsensus(backbone);
        var derived = backbone as DerivedNetwork;
        if (derived is not null) derived.DropPathProbability = config.DropPath;
        model.train();
        TorchRuntime.RequireCorrectKernels();
        using var step = new ScratchStep(model, derived, config, new NonFiniteGuard(model, () => "the benchmark's random clips"));
        step.Optimizer.LearningRate = config.Lr;
        using var batch = ClipBatch.Random(config, config.BatchSize, classes, (ulong)config.Seed);
        for (int i = 0; i < warmup; i++) step.Run(batch, $"warm-up step {i + 1}");
        double seconds = StepTimer.MedianSeconds(steps, () => step.Run(batch, "a measured step"));
        return new TrainBenchmarkResult(ModelZoo.ParameterCount(model), steps, seconds, config.BatchSize / seconds, ProcessMemory.PeakResidentBytes());
    }
}
