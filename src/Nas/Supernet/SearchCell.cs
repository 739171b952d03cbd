namespace VideoNas.Nas.Supernet;

/// <summary>
/// A DARTS cell over 5-D video features: two preprocessed inputs, <c>steps</c> intermediate nodes each
/// summing mixed-op edges from every earlier state, output = concatenation of the intermediate nodes.
/// Edge order is node 0's inputs (c_{k-2}, c_{k-1}), then node 1's three, and so on.
/// </summary>
public sealed class SearchCell : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> _pre0;
    private readonly nn.Module<Tensor, Tensor> _pre1;
    private readonly TorchSharp.Modules.ModuleList<MixedOp> _edges = new();
    private readonly int _steps;

    public bool Reduction { get; }

    public SearchCell(IReadOnlyList<string> primitives, int steps, long cPrevPrev, long cPrev, long c,
        bool reduction, bool reductionPrev, Stride3 reduceStride, int partialChannels = 1, Norm? norm = null, bool fusedEdges = true)
        : base(nameof(SearchCell))
    {
        _steps = steps;
        var searchNorm = (norm ?? Norm.Batch).AffineFree;
        Reduction = reduction;
        _pre0 = reductionPrev
            ? new FactorizedReduce(cPrevPrev, c, reduceStride, searchNorm)
            : new ConvUnit(cPrevPrev, c, (1, 1, 1), Stride3.One, norm: searchNorm);
        _pre1 = new ConvUnit(cPrev, c, (1, 1, 1), Stride3.One, norm: searchNorm);
        for (int i = 0; i < steps; i++)
            for (int j = 0; j < 2 + i; j++)
                _edges.Add(new MixedOp(primitives, c, reduction && j < 2 ? reduceStride : Stride3.One, partialChannels, searchNorm, fusedEdges));
        RegisterComponents();
    }

    /// <param name="weights">[edges, primitives] softmax weights.</param>
    /// <param name="edgeWeights">[edges] normalised β (PC-DARTS edge normalisation), or null.</param>
    /// <param name="constant">the same weights as numbers when they are constants (a projected mixing): zero-weighted operations and edges are not run</param>
    public Tensor Forward(Tensor s0, Tensor s1, Tensor weights, Tensor? edgeWeights = null, float[][]? constant = null)
    {
        using var scope = NewDisposeScope();
        var states = new List<Tensor> { _pre0.call(s0), _pre1.call(s1) };
        int offset = 0;
        for (int i = 0; i < _steps; i++)
        {
            Tensor Edge(int j)
            {
                var h = _edges[offset + j].Forward(states[j], weights[offset + j], constant?[offset + j]);
                return edgeWeights is null ? h : h.mul(edgeWeights[offset + j]);
            }
            Tensor? node = null;
            for (int j = 0; j < states.Count; j++)
                if (constant is null || constant[offset + j].Any(w => w != 0))
                    node = node is null ? Edge(j) : node.Plus(Edge(j));
            offset += states.Count;
            states.Add(node ?? zeros_like(Edge(0)));
        }
        return cat(states.Skip(2).ToList(), 1).MoveToOuterDisposeScope();
    }

    /// <summary>The cell as one sub-network: each node sums only its kept edges, each running its one operation.</summary>
    /// <param name="opOnEdge">per edge, the index of its operation among the primitives, or −1 where the node does not keep the edge</param>
    public Tensor ForwardPath(Tensor s0, Tensor s1, IReadOnlyList<int> opOnEdge)
    {
        using var scope = NewDisposeScope();
        var states = new List<Tensor> { _pre0.call(s0), _pre1.call(s1) };
        int offset = 0;
        for (int i = 0; i < _steps; i++)
        {
            Tensor? node = null;
            for (int j = 0; j < states.Count; j++)
                if (opOnEdge[offset + j] is var op and >= 0)
                    node = node is null ? _edges[offset + j].ForwardOne(states[j], op) : node.Plus(_edges[offset + j].ForwardOne(states[j], op));
            offset += states.Count;
            states.Add(node ?? throw new ArgumentException($"node {i} keeps no edge", nameof(opOnEdge)));
        }
        return cat(states.Skip(2).ToList(), 1).MoveToOuterDisposeScope();
    }
}
