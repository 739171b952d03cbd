using VideoNas.Core.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Derived;

/// <summary>A cell of a derived network: each node sums its two kept edges; the output concatenates the genotype's concat nodes.</summary>
public sealed class DerivedCell : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> _pre0;
    private readonly nn.Module<Tensor, Tensor> _pre1;
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> _ops = new();
    private readonly IReadOnlyList<GenotypeEdge> _edges;
    private readonly IReadOnlyList<int> _concat;

    public bool Reduction { get; }
    public int Multiplier => _concat.Count;

    public DerivedCell(IReadOnlyList<GenotypeEdge> edges, IReadOnlyList<int> concat, long cPrevPrev, long cPrev, long c,
        bool reduction, bool reductionPrev, Stride3 reduceStride) : base(nameof(DerivedCell))
    {
        _edges = edges;
        _concat = concat;
        Reduction = reduction;
        _pre0 = reductionPrev
            ? new FactorizedReduce(cPrevPrev, c, reduceStride)
            : new ConvUnit(cPrevPrev, c, (1, 1, 1), Stride3.One);
        _pre1 = new ConvUnit(cPrev, c, (1, 1, 1), Stride3.One);
        foreach (var e in edges)
            _ops.Add(OperationFactory.Create(e.Op, c, reduction && e.Input < 2 ? reduceStride : Stride3.One));
        RegisterComponents();
    }

    public Tensor Forward(Tensor s0, Tensor s1, double dropPath, Generator generator)
    {
        using var scope = NewDisposeScope();
        var states = new List<Tensor> { _pre0.call(s0), _pre1.call(s1) };
        for (int node = 0; node < _edges.Count / 2; node++)
        {
            Tensor Edge(int k)
            {
                var h = _ops[k].call(states[_edges[k].Input]);
                // Identity edges are never dropped, as in DARTS.
                return _ops[k] is Identity ? h : DropPath.Apply(h, dropPath, training, generator);
            }
            states.Add(Edge(2 * node).Plus(Edge(2 * node + 1)));
        }
        return cat(_concat.Select(i => states[i]).ToList(), 1).MoveToOuterDisposeScope();
    }
}
