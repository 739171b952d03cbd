using VideoNas.Core.Search;

namespace VideoNas.Core.Selection;

/// <summary>
/// Perturbation-based architecture selection (Wang et al., ICLR 2021, "Rethinking architecture selection in
/// differentiable NAS"; DARTS-PT's projection). The operation an edge keeps is the one whose removal hurts the
/// trained supernet most, not the one with the largest α:
/// <list type="number">
/// <item>operations: edges in a seeded random order, a normal and a reduction edge per round; each operation other
/// than none is masked out of the edge in turn and the supernet scored on held-out clips; the edge becomes one-hot
/// on the operation whose removal left the worst score (lowest accuracy, then highest loss);</item>
/// <item>topology: nodes in a seeded random order; while a node has more than two inputs, the input whose removal
/// hurts least is dropped;</item>
/// </list>
/// with the supernet's w fine-tuned under the decisions so far after every round (<c>tune</c>), as DARTS-PT does.
/// The supernet itself is behind <c>score</c> and <c>tune</c>, so the rule is tested here without one.
/// </summary>
public static class PerturbationSelection
{
    private const int OrderStream = 903; // the edge and node order, apart from every other stream of a seed

    public sealed record Decision(string Cell, string Kind, int Index, string Chosen, IReadOnlyList<(string Removed, SelectionScore Score)> Trials);

    public sealed record Result(Genotype Genotype, IReadOnlyList<Decision> Decisions, int Evaluations);

    /// <param name="start">the supernet's mixing before any decision: softmax(α), or uniform (<see cref="EdgeMixing.From"/>)</param>
    /// <param name="score">the supernet's score on held-out clips under a mixing</param>
    /// <param name="tune">fine-tunes w under the decisions so far; called after every round</param>
    public static Result Run(EdgeMixing start, IReadOnlyList<string> primitives, int steps, Func<EdgeMixing, SelectionScore> score,
        Action<EdgeMixing>? tune, long seed, Action<Decision>? decided = null)
    {
        int edges = Primitives.EdgeCount(steps);
        if (start.Normal.Length != edges || start.Reduce.Length != edges || start.Normal.Concat(start.Reduce).Any(r => r.Length != primitives.Count))
            throw new ArgumentException($"the mixing must have {edges} rows of {primitives.Count} weights per cell type", nameof(start));
        var candidates = Enumerable.Range(0, primitives.Count).Where(o => primitives[o] != Primitives.None).ToList();
        if (candidates.Count == 0) throw new ArgumentException("the primitives need an operation other than none", nameof(primitives));
        var random = SeedStream.For(seed, OrderStream, 0);
        var mixing = start;
        var decisions = new List<Decision>();
        int evaluations = 0;
        var chosenOp = new Dictionary<(bool Reduce, int Edge), int>();
        var cells = new[] { false, true };

        void Record(Decision d)
        {
            decisions.Add(d);
            decided?.Invoke(d);
        }

        var undecided = cells.ToDictionary(c => c, _ => Enumerable.Range(0, edges).ToList());
        for (int round = 0; round < edges; round++)
        {
            foreach (bool reduce in cells)
            {
                var open = undecided[reduce];
                int edge = open[random.Next(open.Count)];
                open.Remove(edge);
                var trials = new List<(string, SelectionScore)>();
                int best = -1;
                SelectionScore? worst = null;
                foreach (int op in candidates)
                {
                    var row = mixing.Of(reduce)[edge].ToArray();
                    row[op] = 0;
                    var s = score(mixing.WithRow(reduce, edge, row));
                    evaluations++;
                    trials.Add((primitives[op], s));
                    if (worst is null || s.WorseThan(worst)) (worst, best) = (s, op);
                }
                chosenOp[(reduce, edge)] = best;
                mixing = mixing.WithRow(reduce, edge, OneHot(primitives.Count, best));
                Record(new Decision(CellName(reduce), "operation", edge, primitives[best], trials));
            }
            tune?.Invoke(mixing);
        }

        var keptInputs = cells.ToDictionary(c => c, _ => new Dictionary<int, List<int>>());
        var nodes = Enumerable.Range(0, steps).ToList();
        while (nodes.Count > 0)
        {
            int node = nodes[random.Next(nodes.Count)];
            nodes.Remove(node);
            int first = Primitives.EdgeCount(node);
            foreach (bool reduce in cells)
            {
                var inputs = Enumerable.Range(0, node + 2).ToList();
                var trials = new List<(string, SelectionScore)>();
                while (inputs.Count > GenotypeDeriver.EdgesPerNode)
                {
                    int drop = -1;
                    SelectionScore? mildest = null;
                    foreach (int input in inputs)
                    {
                        var s = score(mixing.WithRow(reduce, first + input, new float[primitives.Count]));
                        evaluations++;
                        trials.Add(($"input {input}", s));
                        if (mildest is null || mildest.WorseThan(s)) (mildest, drop) = (s, input);
                    }
                    inputs.Remove(drop);
                    mixing = mixing.WithRow(reduce, first + drop, new float[primitives.Count]);
                }
                keptInputs[reduce][node] = inputs;
                if (trials.Count > 0) Record(new Decision(CellName(reduce), "inputs", node, string.Join(",", inputs), trials));
            }
            if (node + 2 > GenotypeDeriver.EdgesPerNode) tune?.Invoke(mixing);
        }

        List<GenotypeEdge> Cell(bool reduce) => Enumerable.Range(0, steps)
            .SelectMany(node => keptInputs[reduce][node].Select(input => new GenotypeEdge(primitives[chosenOp[(reduce, Primitives.EdgeCount(node) + input)]], input)))
            .ToList();
        var concat = Enumerable.Range(2, steps).ToList();
        return new Result(new Genotype(Cell(false), concat, Cell(true), concat), decisions, evaluations);
    }

    private static string CellName(bool reduce) => reduce ? "reduce" : "normal";

    private static float[] OneHot(int length, int index)
    {
        var row = new float[length];
        row[index] = 1;
        return row;
    }
}
