using System.Globalization;
using TorchSharp.Modules;
using VideoNas.Core.Search;
using VideoNas.Core.Selection;
using VideoNas.Nas.DataPlane;
using VideoNas.Nas.Models;
using VideoNas.Nas.Optim;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// The supernet: a 3-D stem, <c>layers</c> search cells with reduction cells at 1/3 and 2/3 of the depth,
/// global pooling and a classifier. Input is [batch, segments, 3, frames, H, W]; segments are folded
/// into the batch, scored separately and averaged (TSN consensus). α are parameters named <c>alphas_*</c>.
/// </summary>
public sealed partial class SearchNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _stem;
    private readonly ModuleList<SearchCell> _cells = new();
    private readonly nn.Module<Tensor, Tensor> _classifier;
    private readonly Parameter alphas_normal;
    private readonly Parameter alphas_reduce;
    private readonly Parameter? betas_normal;
    private readonly Parameter? betas_reduce;

    private (int[] Normal, int[] Reduce)? _path;

    public SearchConfig Config { get; }
    public int Classes { get; }

    /// <summary>
    /// A sub-network to run in place of the α-weighted supernet (one-shot evaluation, single-path training): while
    /// set, each kept edge runs only its genotype's operation, with the supernet's weights and weight 1, the other
    /// edges and operations not at all, and α is not read. Null: the supernet.
    /// </summary>
    public Genotype? Path
    {
        get;
        set
        {
            _path = value is null ? null : (PathEdges(value.Normal, "normal"), PathEdges(value.Reduce, "reduce"));
            _offPath = _path is null ? null : NamedWeights.Select(p => p.name).Where(OffPath).ToHashSet(StringComparer.Ordinal);
            field = value;
        }
    }

    /// <summary>
    /// Whether the named weight belongs to an operation the current path does not run (false without a path): an
    /// optimiser leaves those alone, as PyTorch's does a parameter without a gradient, instead of decaying them.
    /// </summary>
    public bool IsOffPath(string weightName) => _offPath?.Contains(weightName) == true;

    private HashSet<string>? _offPath;

    /// <summary>
    /// Weights to mix each edge's operations with in place of softmax(α) (and β), row by row: DARTS-PT's projected
    /// weights during perturbation selection. α is not read while set; a <see cref="Path"/> takes precedence. Null: softmax(α).
    /// </summary>
    public EdgeMixing? Mixing { get; set; }

    private bool OffPath(string weightName)
    {
        if (_path is not var (normal, reduce)) return false;
        var m = OperationName().Match(weightName);
        if (!m.Success) return false;
        int cell = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int edge = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), op = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        return (_cells[cell].Reduction ? reduce : normal)[edge] != op;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^_cells\.(\d+)\._edges\.(\d+)\._ops\.(\d+)\.")]
    private static partial System.Text.RegularExpressions.Regex OperationName();

    private int[] PathEdges(IReadOnlyList<GenotypeEdge> kept, string cell)
    {
        if (kept.Count != 2 * Config.Steps)
            throw new ArgumentException($"the {cell} cell has {kept.Count} edges; this supernet's cells keep {2 * Config.Steps} ({Config.Steps} nodes × 2)");
        var opOnEdge = Enumerable.Repeat(-1, Primitives.EdgeCount(Config.Steps)).ToArray();
        for (int k = 0; k < kept.Count; k++)
        {
            int node = k / 2, op = Config.Primitives.ToList().IndexOf(kept[k].Op);
            if (op < 0) throw new ArgumentException($"{cell} edge {k}: operation \"{kept[k].Op}\" is not in this supernet's space ({string.Join(", ", Config.Primitives)})");
            if (kept[k].Input < 0 || kept[k].Input >= node + 2) throw new ArgumentException($"{cell} edge {k}: node {node} has no input {kept[k].Input}");
            opOnEdge[node * (node + 3) / 2 + kept[k].Input] = op;
        }
        return opOnEdge;
    }

    public SearchNetwork(SearchConfig config, int classes) : base(nameof(SearchNetwork))
    {
        OperationFactory.Validate(config.Primitives, "primitives");
        Config = config;
        Classes = classes;
        long c = config.InitChannels;
        var norm = Norm.For(config.Normalization);
        long cCurr = config.StemMultiplier * c;
        _stem = nn.Sequential(
            Layers.Conv3d(3, cCurr, (config.StemTemporalKernel, 3, 3), padding: (config.StemTemporalKernel / 2, 1, 1)),
            norm.Create(cCurr));
        long cPrevPrev = cCurr, cPrev = cCurr;
        cCurr = c;
        bool reductionPrev = false;
        var reduceStride = new Stride3(config.ReduceTime ? 2 : 1, 2);
        for (int i = 0; i < config.Layers; i++)
        {
            bool reduction = IsReductionLayer(i, config.Layers);
            if (reduction) cCurr *= 2;
            _cells.Add(new SearchCell(config.Primitives, config.Steps, cPrevPrev, cPrev, cCurr, reduction, reductionPrev, reduceStride,
                config.PartialChannels, norm, config.FusedEdges));
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, config.Steps * cCurr);
        }
        _classifier = Layers.Linear(cPrev, classes);
        int edges = Primitives.EdgeCount(config.Steps);
        alphas_normal = new Parameter(randn(edges, config.Primitives.Count).TimesInPlace(1e-3));
        alphas_reduce = new Parameter(randn(edges, config.Primitives.Count).TimesInPlace(1e-3));
        if (config.EdgeNormalization)
        {
            betas_normal = new Parameter(randn(edges).TimesInPlace(1e-3));
            betas_reduce = new Parameter(randn(edges).TimesInPlace(1e-3));
        }
        RegisterComponents();
    }

    public static bool IsReductionLayer(int index, int layers) =>
        layers >= 3 && (index == layers / 3 || index == 2 * layers / 3);

    /// <summary>α of both cell types, then β when edge normalisation is on.</summary>
    public IReadOnlyList<Parameter> ArchParameters =>
        betas_normal is null ? [alphas_normal, alphas_reduce] : [alphas_normal, alphas_reduce, betas_normal, betas_reduce!];

    public IEnumerable<Parameter> WeightParameters => NamedWeights.Select(p => p.parameter);

    public IEnumerable<(string name, Parameter parameter)> NamedWeights =>
        named_parameters().Where(p => !p.name.StartsWith("alphas_", StringComparison.Ordinal) && !p.name.StartsWith("betas_", StringComparison.Ordinal));

    public override Tensor forward(Tensor clips) => SegmentConsensus.Apply(clips, ScoreSegments);

    /// <summary>
    /// The forward pass, and the stages its backward can run in: the classifier, the cells from the
    /// last to the first, then the stem. A stage's parameter gradients are final as soon as it has run,
    /// so a data-parallel replica can start reducing them while the stages below still run (DDP's
    /// overlap). Call inside a dispose scope; the recorded activations belong to it.
    /// </summary>
    public (Tensor Logits, Func<Tensor, IReadOnlyList<BackwardStage>> Stages) ForwardStaged(Tensor clips)
    {
        _recorded = [];
        try
        {
            var logits = forward(clips);
            var states = _recorded;
            CurrentDisposeScope?.Attach(states.SelectMany(s => new[] { s.Output, s.Cut }));
            return (logits, loss => Stages(loss, states));
        }
        finally
        {
            _recorded = null;
        }
    }

    // Cell k reads states (max(k-1, 0), k) and writes state k+1; state 0 is the stem's output.
    private IReadOnlyList<BackwardStage> Stages(Tensor loss, List<(Tensor Output, Tensor Cut)> states)
    {
        var stages = new List<BackwardStage> { new(_classifier.parameters().ToList(), loss, null, [states[^1].Cut]) };
        for (int k = _cells.Count - 1; k >= 0; k--)
            stages.Add(new(_cells[k].parameters().ToList(), states[k + 1].Output, states[k + 1].Cut,
                k == 0 ? [states[0].Cut] : [states[k - 1].Cut, states[k].Cut]));
        stages.Add(new(_stem.parameters().ToList(), states[0].Output, states[0].Cut, []));
        return stages;
    }

    private List<(Tensor Output, Tensor Cut)>? _recorded;

    private Tensor ScoreSegments(Tensor x)
    {
        var s0 = Recorded(_stem.call(x));
        var s1 = s0;
        // A sub-network or a given mixing does not read α, so its backward does not reach it.
        var weightsNormal = _path is not null ? null : Mixing is { } m ? Rows(m.Normal, alphas_normal) : nn.functional.softmax(alphas_normal, -1);
        var weightsReduce = _path is not null ? null : Mixing is { } r ? Rows(r.Reduce, alphas_reduce) : nn.functional.softmax(alphas_reduce, -1);
        var edgesNormal = betas_normal is null || Mixing is not null ? null : EdgeSoftmax(betas_normal);
        var edgesReduce = betas_reduce is null || Mixing is not null ? null : EdgeSoftmax(betas_reduce);
        foreach (var cell in _cells)
        {
            (s0, s1) = (s1, _path is var (normal, reduce)
                ? cell.ForwardPath(s0, s1, cell.Reduction ? reduce : normal)
                : cell.Reduction
                    ? cell.Forward(s0, s1, weightsReduce!, edgesReduce, Mixing?.Reduce)
                    : cell.Forward(s0, s1, weightsNormal!, edgesNormal, Mixing?.Normal));
            s1 = Recorded(s1);
        }
        return Layers.PoolAndClassify(s1, _classifier);
    }

    /// <summary>
    /// While recording, the layers above see a state through a leaf that shares its storage: a cut in the
    /// graph, so one stage's autograd.grad stops there instead of running on into the layers below.
    /// </summary>
    private Tensor Recorded(Tensor state)
    {
        if (_recorded is null) return state;
        var cut = state.detach().requires_grad_(true);
        _recorded.Add((state.DetachFromDisposeScope(), cut.DetachFromDisposeScope()));
        return cut;
    }

    private static Tensor Rows(float[][] rows, Tensor like)
    {
        if (rows.Length != like.shape[0] || rows.Any(r => r.Length != like.shape[1]))
            throw new ArgumentException($"a mixing needs {like.shape[0]} rows of {like.shape[1]} weights per cell type");
        return tensor(rows.SelectMany(r => r).ToArray(), [like.shape[0], like.shape[1]]).to(like.dtype, like.device);
    }

    /// <summary>Softmax of β over each node's incoming edges, concatenated in edge order.</summary>
    private Tensor EdgeSoftmax(Tensor betas)
    {
        var parts = new List<Tensor>();
        for (int node = 0, start = 0; node < Config.Steps; start += node + 2, node++)
            parts.Add(nn.functional.softmax(betas.narrow(0, start, node + 2), 0));
        return cat(parts, 0);
    }

    public ArchitectureWeights ExportAlphas() => new(
        Config.Primitives, Config.Steps, ToRows(alphas_normal), ToRows(alphas_reduce))
    {
        BetasNormal = betas_normal is null ? null : TensorBytes.ToFloats(betas_normal.detach()),
        BetasReduce = betas_reduce is null ? null : TensorBytes.ToFloats(betas_reduce.detach()),
    };

    private static float[][] ToRows(Tensor alpha)
    {
        using var cpu = alpha.detach().cpu().contiguous();
        var flat = TensorBytes.ToFloats(cpu);
        int cols = (int)alpha.shape[1];
        return Enumerable.Range(0, (int)alpha.shape[0]).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }
}
