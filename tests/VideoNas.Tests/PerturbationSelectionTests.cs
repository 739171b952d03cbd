using VideoNas.Core.Selection;

namespace VideoNas.Tests;

/// <summary>DARTS-PT's rule on a hand-built score, where which operation and which inputs matter is known.</summary>
public class PerturbationSelectionTests
{
    private static readonly string[] Space = [Primitives.None, "conv_1x3x3", "conv_3x1x1", "avg_pool_1x3x3"];

    // Two nodes: edges 0-1 are node 0's inputs 0-1, edges 2-4 node 1's inputs 0-2.
    private static readonly int[] TargetNormal = [1, 3, 2, 2, 1], TargetReduce = [3, 3, 1, 2, 2];
    private static readonly double[] ImportanceNormal = [1, 2, 5, 1, 3], ImportanceReduce = [2, 1, 1, 4, 3];

    /// <summary>Each edge's target operation carries its importance; every weight carries a hundredth of it (the edge as a whole).</summary>
    private static SelectionScore Score(EdgeMixing m)
    {
        double Cell(float[][] rows, int[] target, double[] importance) =>
            Enumerable.Range(0, rows.Length).Sum(e => importance[e] * (rows[e][target[e]] + 0.01 * rows[e].Sum()));
        double total = Cell(m.Normal, TargetNormal, ImportanceNormal) + Cell(m.Reduce, TargetReduce, ImportanceReduce);
        return new SelectionScore(total / 100, 1 / total);
    }

    [Fact]
    public void EachEdgeKeepsTheOperationThatMattersAndEachNodeItsTwoMostImportantInputs()
    {
        var start = new EdgeMixing(Uniform(), Uniform());
        var tuned = new List<EdgeMixing>();
        var result = PerturbationSelection.Run(start, Space, steps: 2, Score, tuned.Add, seed: 4);

        // Node 1 keeps the inputs of importance 5 and 3 (normal: inputs 0 and 2) and 4 and 3 (reduce: inputs 1 and 2).
        Assert.Equal("[conv_1x3x3 0, avg_pool_1x3x3 1, conv_3x1x1 0, conv_1x3x3 2]", Edges(result.Genotype.Normal));
        Assert.Equal("[avg_pool_1x3x3 0, avg_pool_1x3x3 1, conv_3x1x1 1, conv_3x1x1 2]", Edges(result.Genotype.Reduce));
        Assert.Equal([2, 3], result.Genotype.NormalConcat);
        // 5 edges × 3 operations other than none × 2 cell types, then node 1's 3 inputs once per cell type.
        Assert.Equal(5 * 3 * 2 + 3 * 2, result.Evaluations);
        // Fine-tuned after each of the 5 rounds of operations and after node 1's inputs (node 0 has only two).
        Assert.Equal(6, tuned.Count);
        Assert.Equal([0f, 0f, 1f, 0f], tuned[^1].Normal[2]); // decided: one-hot on conv_3x1x1
        Assert.Equal([0f, 0f, 0f, 0f], tuned[^1].Normal[3]); // dropped input
        Assert.Equal(2 * 5 + 2, result.Decisions.Count);
        Assert.All(result.Decisions.Where(d => d.Kind == "operation"), d => Assert.DoesNotContain(d.Trials, t => t.Removed == Primitives.None));
    }

    [Fact]
    public void TheEdgeOrderFollowsTheSeedButTheRuleDoesNot()
    {
        var start = new EdgeMixing(Uniform(), Uniform());
        string Order(long seed) => string.Join(" ", PerturbationSelection.Run(start, Space, 2, Score, null, seed).Decisions.Select(d => $"{d.Cell[0]}{d.Index}"));
        Assert.Equal(Order(1), Order(1));
        Assert.NotEqual(Order(1), Order(2));
        Assert.Equal(Edges(PerturbationSelection.Run(start, Space, 2, Score, null, 1).Genotype.Normal),
            Edges(PerturbationSelection.Run(start, Space, 2, Score, null, 2).Genotype.Normal));
    }

    [Fact]
    public void TheStartingMixingIsSoftmaxOfAlphaScaledByBetaOrUniform()
    {
        float[][] alpha = [[0, 0, 0, (float)Math.Log(2)], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
        var weights = new ArchitectureWeights(Space, 2, alpha, alpha) { BetasNormal = [0, 0, 0, 0, (float)Math.Log(2)], BetasReduce = [0, 0, 0, 0, 0] };
        var learned = EdgeMixing.From(weights, uniform: false);
        // β's softmax over node 0's two inputs is 1/2, 1/2, over node 1's three 1/4, 1/4, 1/2 (normal) or 1/3 each (reduce).
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.2f], learned.Reduce[0].Select(w => MathF.Round(w, 6)));
        Assert.Equal(0.25f / 3, learned.Reduce[2][0], 6);
        Assert.Equal(0.25f * 0.25f, learned.Normal[2][0], 6);
        Assert.Equal(0.5f * 0.25f, learned.Normal[4][0], 6);
        Assert.All(EdgeMixing.From(weights, uniform: true).Normal.SelectMany(r => r), w => Assert.Equal(0.25f, w));
    }

    [Fact]
    public void AMixingOfTheWrongShapeIsRefused()
    {
        var wrong = new EdgeMixing(Uniform().Take(4).ToArray(), Uniform());
        var e = Assert.Throws<ArgumentException>(() => PerturbationSelection.Run(wrong, Space, 2, Score, null, 0));
        Assert.Contains("5 rows of 4 weights", e.Message);
    }

    private static float[][] Uniform() => Enumerable.Range(0, 5).Select(_ => Enumerable.Repeat(0.25f, 4).ToArray()).ToArray();

    private static string Edges(IReadOnlyList<GenotypeEdge> edges) => "[" + string.Join(", ", edges.Select(e => $"{e.Op} {e.Input}")) + "]";
}
