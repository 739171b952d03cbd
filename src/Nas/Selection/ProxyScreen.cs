using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas.Data;
using VideoNas.Nas.Models;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Selection;

/// <summary>
/// Scores genotypes with the zero-cost proxies, each on a freshly initialised network (one per proxy, since synflow
/// changes its weights) and the same batch of training clips, so a score depends on the genotype, the seed and the
/// batch only.
/// </summary>
public static class ProxyScreen
{
    private const int BatchStream = 900; // apart from the training's streams (100 + epoch)

    /// <summary>The batch every genotype is scored on: <paramref name="size"/> training clips picked and sampled from <paramref name="seed"/>.</summary>
    public static ClipBatch Batch(TrainConfig config, VideoDataset dataset, int size, long seed)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a proxy batch needs at least 2 clips (jacob_cov correlates them)");
        var loader = config.Loader(dataset);
        var random = SeedStream.For(seed, BatchStream, 0);
        var clips = dataset.Train.OrderBy(_ => random.Next()).Take(size).Select(c => (c, random.Next())).ToList();
        var loaded = loader.TrainBatch(clips);
        if (loaded.Count < 2) throw new InvalidDataException($"{dataset.Root}: fewer than 2 training clips could be decoded for the proxy batch");
        return ClipTensorizer.ToBatch(loaded, loader.Sampling);
    }

    /// <param name="backbone">the network of a genotype with its initial weights, e.g. what the training would start from</param>
    /// <returns>one score per proxy, in the order of <paramref name="proxies"/></returns>
    public static double[] Score(Genotype genotype, IReadOnlyList<string> proxies, Func<Genotype, nn.Module<Tensor, Tensor>> backbone, ClipBatch batch) =>
        proxies.Select(proxy =>
        {
            using var model = new SegmentConsensus(backbone(genotype));
            return ZeroCostProxies.Score(proxy, model, batch.Clips, batch.Labels);
        }).ToArray();
}
