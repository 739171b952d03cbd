namespace VideoNas.Tests;

public class GenotypeDeriverTests
{
    private static readonly string[] Three = ["none", "skip_connect", "conv_3x1x1"];

    // steps = 2: edges 0,1 feed node 0 (inputs c_{k-2}, c_{k-1}); edges 2,3,4 feed node 1 (c_{k-2}, c_{k-1}, node 0).
    private static readonly float[][] Normal =
    [
        [0, 1, 0],   // skip = e/(2+e) = 0.576
        [0, 0, 2],   // conv = e²/(2+e²) = 0.787
        [5, 0, 0],   // none-dominated: none = 0.987, best non-none = skip (tie with conv) = 0.0067
        [0, 0.5f, 0], // skip = e^.5/(2+e^.5) = 0.452
        [0, 0, 0],   // tie: skip (lower index) = 1/3
    ];

    private static readonly float[][] AllZero = Enumerable.Range(0, 5).Select(_ => new float[3]).ToArray();

    [Fact]
    public void KeepsTheTwoStrongestNonNoneEdgesPerNodeInRankOrder()
    {
        var g = GenotypeDeriver.Derive(new ArchitectureWeights(Three, 2, Normal, AllZero));
        Assert.Equal(
            [new("conv_3x1x1", 1), new("skip_connect", 0), new("skip_connect", 1), new("skip_connect", 2)],
            g.Normal);
        Assert.Equal([2, 3], g.NormalConcat);
    }

    [Fact]
    public void TiesGoToTheLowerEdgeAndTheLowerOp()
    {
        var g = GenotypeDeriver.Derive(new ArchitectureWeights(Three, 2, AllZero, AllZero));
        Assert.Equal(
            [new("skip_connect", 0), new("skip_connect", 1), new("skip_connect", 0), new("skip_connect", 1)],
            g.Reduce);
    }

    [Fact]
    public void NoneDominatedEdgeRanksByItsBestRealOp()
    {
        // Edge 2 has the largest single weight (none, 0.88) but its best real op (skip, 0.12) loses to
        // edge 3's skip (0.36) and edge 4's conv (e^.2/(2+e^.2) = 0.379).
        float[][] normal = [[0, 1, 0], [0, 1, 0], [5, 3, 0], [0, 0.1f, 0], [0, 0, 0.2f]];
        var g = GenotypeDeriver.Derive(new ArchitectureWeights(Three, 2, normal, AllZero));
        Assert.Equal([new("conv_3x1x1", 2), new("skip_connect", 1)], g.Normal.Skip(2));
    }

    [Fact]
    public void WorksForAnyPrimitiveListAndStepCount()
    {
        string[] two = ["max_pool_1x3x3", "p3d_b_3"];
        float[][] normal = [[1, 2], [3, 0]]; // p3d_b 0.731 on edge 0, max_pool 0.953 on edge 1
        var g = GenotypeDeriver.Derive(new ArchitectureWeights(two, 1, normal, normal));
        Assert.Equal([new("max_pool_1x3x3", 1), new("p3d_b_3", 0)], g.Normal);
        Assert.Equal([2], g.ReduceConcat);

        var five = new ArchitectureWeights(Primitives.P3D, 5,
            Enumerable.Range(0, 20).Select(e => Primitives.P3D.Select((_, k) => (float)((e * 7 + k * 3) % 11)).ToArray()).ToArray(),
            Enumerable.Range(0, 20).Select(_ => new float[Primitives.P3D.Count]).ToArray());
        var g5 = GenotypeDeriver.Derive(five);
        Assert.Equal(10, g5.Normal.Count);
        Assert.Equal([2, 3, 4, 5, 6], g5.NormalConcat);
        Assert.DoesNotContain(g5.Normal, e => e.Op == "none");
    }

    [Fact]
    public void SoftmaxMatchesHandValues()
    {
        var w = GenotypeDeriver.Softmax([0, 1, 0]);
        Assert.Equal(0.5761169f, w[1], 5);
        Assert.Equal(0.2119416f, w[0], 5);
    }

    [Fact]
    public void AlphasFileRoundTripsAndGenotypeFileHasTheFixedShape()
    {
        var alphas = new ArchitectureWeights(Three, 2, Normal, AllZero);
        var back = SearchFiles.ParseAlphas(SearchFiles.ToJson(alphas));
        Assert.Equal(Three, back.Primitives);
        Assert.Equal(2, back.Steps);
        Assert.Equal(Normal.SelectMany(r => r), back.Normal.SelectMany(r => r));

        string json = SearchFiles.ToJson(GenotypeDeriver.Derive(alphas));
        Assert.Contains("\"normal\": [[\"conv_3x1x1\",1],[\"skip_connect\",0],[\"skip_connect\",1],[\"skip_connect\",2]]", json);
        Assert.Contains("\"normal_concat\": [2,3]", json);
        var parsed = SearchFiles.ParseGenotype(json);
        Assert.Equal(GenotypeDeriver.Derive(alphas).Normal, parsed.Normal);
    }

    [Theory]
    [InlineData("""{"primitives": ["none","skip_connect"], "steps": 2, "normal": [[0,0],[0,0]], "reduce": [[0,0],[0,0],[0,0],[0,0],[0,0]]}""", "\"normal\" has 2 rows, but steps = 2 needs 5")]
    [InlineData("""{"primitives": ["none","skip_connect"], "steps": 1, "normal": [[0,0],[0]], "reduce": [[0,0],[0,0]]}""", "\"normal\"[1] has 1 values, but there are 2 primitives")]
    [InlineData("""{"primitives": ["none"], "steps": 1, "normal": [[0],[0]], "reduce": [[0],[0]]}""", "no operation other than \"none\"")]
    [InlineData("""{"steps": 1, "normal": [], "reduce": []}""", "missing field \"primitives\"")]
    [InlineData("""{"primitives": ["a"], "steps": 1, "normal": [[0],["x"]], "reduce": [[0],[0]]}""", "\"normal\"[1][0] must be a number")]
    [InlineData("[1,2", "not valid JSON")]
    public void BadAlphasAreRefusedNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => SearchFiles.ParseAlphas(json, "my/alphas.json"));
        Assert.StartsWith("my/alphas.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void GenotypeWithAnImpossibleInputIsRefused()
    {
        string json = """{"normal": [["skip_connect",0],["skip_connect",2]], "normal_concat": [2], "reduce": [["skip_connect",0],["skip_connect",1]], "reduce_concat": [2]}""";
        var e = Assert.Throws<FormatException>(() => SearchFiles.ParseGenotype(json, "g.json"));
        Assert.Contains("\"normal\"[1] takes input 2, but node 0 can only read inputs 0..1", e.Message);
    }
}
