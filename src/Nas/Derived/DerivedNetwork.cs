using VideoNas.Core.Search;
using VideoNas.Nas.Models;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Derived;

/// <summary>
/// The network a genotype describes, trained from scratch: the supernet's stem and layout with each
/// mixed edge replaced by its kept op, drop-path, and an optional auxiliary head after 2/3 of the cells.
/// Input is a single segment batch [N, 3, F, H, W]; wrap it in <see cref="SegmentConsensus"/> for videos.
/// </summary>
public sealed class DerivedNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _stem;
    private readonly TorchSharp.Modules.ModuleList<DerivedCell> _cells = new();
    private readonly nn.Module<Tensor, Tensor> _classifier;
    private readonly nn.Module<Tensor, Tensor>? _auxiliary;
    private readonly int _auxiliaryAfter;

    public double DropPathProbability { get; set; }

    /// <summary>
    /// Logits of the auxiliary head from the last training forward, or null. Owned by this module (no
    /// dispose scope holds it, so it outlives the consensus wrapper's scope) and replaced on every forward.
    /// </summary>
    public Tensor? AuxiliaryLogits { get; private set; }

    private readonly Generator _dropPathGenerator;

    public DerivedNetwork(Genotype genotype, int classes, int channels, int layers, bool auxiliary, bool reduceTime = false, long seed = 0,
        int stemTemporalKernel = 3, int stemMultiplier = 3)
        : base(nameof(DerivedNetwork))
    {
        // Drop-path masks come from the network's own generator, so training repeats under a seed.
        _dropPathGenerator = new Generator((ulong)seed);
        long c = channels, cCurr = stemMultiplier * c;
        _stem = nn.Sequential(
            Layers.Conv3d(3, cCurr, (stemTemporalKernel, 3, 3), padding: (stemTemporalKernel / 2, 1, 1)), Layers.BatchNorm3d(cCurr));
        long cPrevPrev = cCurr, cPrev = cCurr;
        cCurr = c;
        bool reductionPrev = false;
        var reduceStride = new Stride3(reduceTime ? 2 : 1, 2);
        _auxiliaryAfter = 2 * layers / 3;
        long auxChannels = 0;
        for (int i = 0; i < layers; i++)
        {
            bool reduction = SearchNetwork.IsReductionLayer(i, layers);
            if (reduction) cCurr *= 2;
            var cell = reduction
                ? new DerivedCell(genotype.Reduce, genotype.ReduceConcat, cPrevPrev, cPrev, cCurr, true, reductionPrev, reduceStride)
                : new DerivedCell(genotype.Normal, genotype.NormalConcat, cPrevPrev, cPrev, cCurr, false, reductionPrev, reduceStride);
            _cells.Add(cell);
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, cell.Multiplier * cCurr);
            if (i == _auxiliaryAfter) auxChannels = cPrev;
        }
        _classifier = Layers.Linear(cPrev, classes);
        if (auxiliary && layers >= 3)
            _auxiliary = nn.Sequential(
                nn.ReLU(), nn.AdaptiveAvgPool3d([1, 2, 2]),
                Layers.Conv3d(auxChannels, 128, (1, 1, 1)), Layers.BatchNorm3d(128), nn.ReLU(),
                nn.Flatten(), Layers.Linear(128 * 4, classes));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var s0 = _stem.call(x);
        var s1 = s0;
        Tensor? aux = null;
        for (int i = 0; i < _cells.Count; i++)
        {
            (s0, s1) = (s1, _cells[i].Forward(s0, s1, DropPathProbability, _dropPathGenerator));
            if (i == _auxiliaryAfter && _auxiliary is not null && training) aux = _auxiliary.call(s1);
        }
        AuxiliaryLogits?.Dispose();
        AuxiliaryLogits = aux?.DetachFromDisposeScope();
        return Layers.PoolAndClassify(s1, _classifier).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuxiliaryLogits?.Dispose();
            AuxiliaryLogits = null;
            _dropPathGenerator.Dispose();
        }
        base.Dispose(disposing);
    }
}
