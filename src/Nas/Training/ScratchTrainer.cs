using TorchSharp.Modules;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas.Data;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Training;

/// <summary>
/// Trains any clip classifier from scratch under one protocol: momentum SGD with a cosine schedule and
/// gradient clipping on the full training list (TSN random offsets), then clip accuracy (every test clip
/// alone) and video accuracy (softmax averaged over N uniformly spaced clips) on the test list.
/// </summary>
public sealed class ScratchTrainer
{
    private readonly TrainConfig _config;
    private readonly ClipLoader _loader;
    private readonly Random _random;

    public ScratchTrainer(TrainConfig config, VideoDataset dataset, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _config = config.Validated();
        _loader = config.Loader(dataset, logger);
        _random = new Random(unchecked((int)config.Seed));
    }

    public ClipLoader Clips => _loader;

    /// <param name="backbone">Scores one segment batch [N, 3, F, H, W]; a <see cref="DerivedNetwork"/> also gets drop-path and its auxiliary loss.</param>
    public TrainResult Train(string name, nn.Module<Tensor, Tensor> backbone, Action<EpochReport>? progress = null)
    {
        var c = _config;
        var dataset = _loader.Dataset;
        _loader.Warm(dataset.Train.Concat(dataset.Test).ToList());
        using var model = new SegmentConsensus(backbone);
        long parameters = ModelZoo.ParameterCount(model);
        long flops;
        using (var probe = zeros([1, c.Segments, 3, c.FramesPerSegment, c.Resolution, c.Resolution]))
            flops = MacCounter.Measure(model, probe);

        TorchRuntime.RequireCorrectKernels();
        var guard = new NonFiniteGuard(model, () => $"Try a lower lr (now {c.Lr:G3}); if the default fails too, `videonas doctor` checks this machine's kernels.");
        var derived = backbone as DerivedNetwork;
        using var step = new ScratchStep(model, derived, c, guard);
        var optimizer = step.Optimizer;
        var epochs = new List<EpochReport>();
        for (int epoch = 0; epoch < c.Epochs; epoch++)
        {
            optimizer.LearningRate = CosineSchedule.At(epoch, c.Epochs, c.Lr, c.LrMin);
            if (derived is not null) derived.DropPathProbability = c.DropPath * epoch / c.Epochs;
            model.train();
            var results = new List<StepResult>();
            var order = dataset.Train.OrderBy(_ => _random.Next()).ToList();
            using (var batches = Batches(order, epoch))
                for (int b = 0; b * c.BatchSize < order.Count; b++)
                    if (batches.Next() is { Count: > 0 } loaded)
                        using (var batch = ClipTensorizer.ToBatch(loaded, _loader.Sampling))
                            results.Add(step.Run(batch, $"epoch {epoch + 1} step {results.Count + 1}"));
            var mean = StepResult.Mean(results);
            var report = new EpochReport(epoch + 1, mean.Loss, mean.Accuracy, optimizer.LearningRate);
            epochs.Add(report);
            progress?.Invoke(report);
        }
        var (clipAccuracy, videoAccuracy, videos) = Evaluate(model);
        return new TrainResult(name, parameters, flops, clipAccuracy, videoAccuracy, videos, _loader.BadClips.Count, epochs);
    }

    /// <summary>The epoch's batches, loaded ahead; batch b's clips draw their seeds from their own stream.</summary>
    private Prefetcher<int, List<(ClipEntry Clip, SampledClip Sample)>> Batches(IReadOnlyList<ClipEntry> order, int epoch) =>
        new(0, b =>
        {
            var random = SeedStream.For(_config.Seed, 100 + epoch, b);
            var clips = order.Skip(b * _config.BatchSize).Take(_config.BatchSize).Select(e => (e, random.Next())).ToList();
            return (_loader.TrainBatch(clips), b + 1);
        }, _config.PrefetchBatches);

    private (double Clip, double Video, int Videos) Evaluate(nn.Module<Tensor, Tensor> model)
    {
        var c = _config;
        var test = _loader.Dataset.Test;
        model.eval();
        long clipsRight = 0, clipsSeen = 0, videosRight = 0, videos = 0;
        int chunk = _loader.Workers;
        using var loads = new Prefetcher<int, IReadOnlyList<SampledClip>?[]>(0,
            start => (_loader.TestBatch(test.Skip(start).Take(chunk).ToList(), c.TestClips), start + chunk), c.PrefetchBatches);
        for (int start = 0; start < test.Count; start += chunk)
        {
            var loaded = loads.Next();
            for (int i = 0; i < loaded.Length; i++)
            {
                if (loaded[i] is not { } clips) continue;
                long label = test[start + i].Label;
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var logits = model.call(ClipTensorizer.ToTensor(clips, c.Segments, c.FramesPerSegment));
                clipsRight += logits.argmax(1).EqualTo(label).sum().item<long>();
                clipsSeen += c.TestClips;
                videosRight += nn.functional.softmax(logits, 1).mean([0]).argmax().item<long>() == label ? 1 : 0;
                videos++;
            }
        }
        if (videos == 0) throw new InvalidDataException($"{_loader.Dataset.Root}: no test clip could be decoded");
        return ((double)clipsRight / clipsSeen, (double)videosRight / videos, (int)videos);
    }
}
