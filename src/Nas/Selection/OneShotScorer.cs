using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Selection;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Selection;

/// <summary>
/// One-shot ranking: a trained supernet scores an architecture by the accuracy of its sub-network (the genotype's
/// path, with the supernet's weights) on a fixed set of clips, normally the search's α-split, which w never trained
/// on. Normalisation runs on each batch's own statistics, so a sub-network is normalised by its own activations and
/// not by running statistics gathered on the whole supernet (BatchNorm recomputed, as one-shot evaluation needs);
/// the running buffers are put back afterwards, so scoring leaves the supernet as it was.
/// </summary>
public sealed class OneShotScorer : IDisposable
{
    private const int ClipStream = 901; // the scoring clips' offsets, apart from the search's and the training's streams
    private readonly SearchNetwork _net;
    private readonly List<ClipBatch> _batches;

    private OneShotScorer(SearchNetwork net, List<ClipBatch> batches) => (_net, _batches) = (net, batches);

    /// <summary>Scores on <paramref name="clips"/>, each sampled once (TSN offsets from <paramref name="seed"/>) and batched as the search batches.</summary>
    public static OneShotScorer On(SearchNetwork net, VideoDataset dataset, IReadOnlyList<ClipEntry> clips, long seed)
    {
        var loader = net.Config.Loader(dataset);
        var random = SeedStream.For(seed, ClipStream, 0);
        var batches = clips.Select(c => (c, random.Next())).Chunk(net.Config.BatchSize)
            .Select(chunk => loader.TrainBatch(chunk)).Where(loaded => loaded.Count > 0)
            .Select(loaded => ClipTensorizer.ToBatch(loaded, loader.Sampling)).ToList();
        if (batches.Count == 0) throw new InvalidDataException($"{dataset.Root}: none of the {clips.Count} clips to score on could be decoded");
        return new OneShotScorer(net, batches);
    }

    public int Clips => _batches.Sum(b => (int)b.Count);

    /// <summary>The share of the clips that <paramref name="path"/>'s sub-network classifies right; null: the α-weighted supernet.</summary>
    public double Accuracy(Genotype? path) => Score(path).Accuracy;

    /// <summary><paramref name="path"/>'s sub-network's accuracy and mean cross-entropy; null: the α-weighted supernet.</summary>
    public SelectionScore Score(Genotype? path) => Measure(path, null);

    /// <summary>The supernet's accuracy and mean cross-entropy with its edges mixed by <paramref name="mixing"/> instead of softmax(α).</summary>
    public SelectionScore Score(EdgeMixing mixing) => Measure(null, mixing);

    private SelectionScore Measure(Genotype? path, EdgeMixing? mixing)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var buffers = _net.buffers().ToList();
        var saved = buffers.Select(b => b.clone()).ToList();
        var (pathBefore, mixingBefore) = (_net.Path, _net.Mixing);
        try
        {
            _net.train();
            (_net.Path, _net.Mixing) = (path, mixing);
            long right = 0, seen = 0;
            double loss = 0;
            foreach (var batch in _batches)
            {
                var logits = _net.call(batch.Clips);
                right += logits.argmax(1).eq(batch.Labels).sum().item<long>();
                loss += nn.functional.cross_entropy(logits, batch.Labels, reduction: nn.Reduction.Sum).item<float>();
                seen += batch.Count;
            }
            return new SelectionScore((double)right / seen, loss / seen);
        }
        finally
        {
            (_net.Path, _net.Mixing) = (pathBefore, mixingBefore);
            for (int i = 0; i < buffers.Count; i++) buffers[i].copy_(saved[i]);
        }
    }

    public void Dispose()
    {
        foreach (var b in _batches) b.Dispose();
    }
}
