using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoNas.Core.Search;

/// <summary>Reads and writes the fixed <c>alphas.json</c> and <c>genotype.json</c> formats.</summary>
public static class SearchFiles
{
    public const string AlphasFileName = "alphas.json";
    public const string GenotypeFileName = "genotype.json";
    public const string HistoryFileName = "genotype_history.jsonl";

    public static string ToJson(ArchitectureWeights a)
    {
        var o = new JsonObject
        {
            ["primitives"] = new JsonArray(a.Primitives.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["steps"] = a.Steps,
            ["normal"] = Matrix(a.Normal),
            ["reduce"] = Matrix(a.Reduce),
        };
        if (a.BetasNormal is not null) o["betas_normal"] = Vector(a.BetasNormal);
        if (a.BetasReduce is not null) o["betas_reduce"] = Vector(a.BetasReduce);
        return o.ToJsonString(JsonFormats.Indented);
    }

    /// <summary>One cell per line, so a genotype reads at a glance in a terminal and a diff.</summary>
    public static string ToJson(Genotype g) =>
        "{\n" +
        $"  \"normal\": {Edges(g.Normal).ToJsonString()},\n" +
        $"  \"normal_concat\": {Ints(g.NormalConcat).ToJsonString()},\n" +
        $"  \"reduce\": {Edges(g.Reduce).ToJsonString()},\n" +
        $"  \"reduce_concat\": {Ints(g.ReduceConcat).ToJsonString()}\n" +
        "}";

    public static ArchitectureWeights ReadAlphas(string path) => ParseAlphas(ReadText(path), path);

    public static Genotype ReadGenotype(string path) => ParseGenotype(ReadText(path), path);

    public static ArchitectureWeights ParseAlphas(string json, string source = "alphas")
    {
        var root = ParseObject(json, source);
        var alphas = new ArchitectureWeights(
            Required(root, "primitives", source).AsArray().Select((n, i) => StringAt(n, $"primitives[{i}]", source)).ToList(),
            IntField(root, "steps", source),
            ReadMatrix(root, "normal", source),
            ReadMatrix(root, "reduce", source))
        {
            BetasNormal = root.ContainsKey("betas_normal") ? ReadVector(root, "betas_normal", source) : null,
            BetasReduce = root.ContainsKey("betas_reduce") ? ReadVector(root, "betas_reduce", source) : null,
        };
        alphas.Validate(source);
        return alphas;
    }

    public static Genotype ParseGenotype(string json, string source = "genotype")
    {
        var root = ParseObject(json, source);
        var g = new Genotype(
            ReadEdges(root, "normal", source), ReadInts(root, "normal_concat", source),
            ReadEdges(root, "reduce", source), ReadInts(root, "reduce_concat", source));
        if (g.Normal.Count == 0 || g.Normal.Count % 2 != 0 || g.Reduce.Count != g.Normal.Count)
            throw new FormatException($"{source}: \"normal\" and \"reduce\" must hold the same even, non-zero number of edges");
        foreach (var (cell, edges) in new[] { ("normal", g.Normal), ("reduce", g.Reduce) })
            for (int i = 0; i < edges.Count; i++)
                if (edges[i].Input < 0 || edges[i].Input >= 2 + i / 2)
                    throw new FormatException($"{source}: \"{cell}\"[{i}] takes input {edges[i].Input}, but node {i / 2} can only read inputs 0..{1 + i / 2}");
        return g;
    }

    /// <summary>Refuses a genotype with an operation a derived network cannot have (none, or a name VideoNas does not build).</summary>
    public static Genotype RequireBuildable(Genotype g, string source)
    {
        foreach (var (cell, edges) in new[] { ("normal", g.Normal), ("reduce", g.Reduce) })
            for (int i = 0; i < edges.Count; i++)
                if (!Primitives.All.Contains(edges[i].Op) || edges[i].Op == Primitives.None)
                    throw new FormatException($"{source}: \"{cell}\"[{i}] has operation \"{edges[i].Op}\", which a derived network cannot have; " +
                        $"the operations are {string.Join(", ", Primitives.All.Where(o => o != Primitives.None))}");
        return g;
    }

    /// <summary>One line of the history: the epoch, its genotype and softmax(α) per edge.</summary>
    public static string HistoryLine(int epoch, Genotype genotype, ArchitectureWeights alphas) => new JsonObject
    {
        ["epoch"] = epoch,
        ["genotype"] = JsonNode.Parse(ToJson(genotype)),
        ["softmax_normal"] = Matrix(alphas.Normal.Select(r => GenotypeDeriver.Softmax(r)).ToArray()),
        ["softmax_reduce"] = Matrix(alphas.Reduce.Select(r => GenotypeDeriver.Softmax(r)).ToArray()),
    }.ToJsonString();

    /// <summary>
    /// Keeps the history lines of epochs 1..<paramref name="epochs"/>: a trial resumed from a checkpoint
    /// repeats the epochs after it, and their lines must not appear twice.
    /// </summary>
    public static void TrimHistory(string path, int epochs)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadAllLines(path).Where(line => HistoryEpoch(line) is int epoch && epoch <= epochs);
        WriteAtomically(path, string.Concat(kept.Select(line => line + "\n")));
    }

    /// <summary>The epoch of a history line; null for a line a crash cut short.</summary>
    private static int? HistoryEpoch(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["epoch"]?.GetValue<int>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes through a flushed temporary file, a rename and a flushed folder (<see cref="DurableFile"/>).</summary>
    public static void WriteAtomically(string path, string content) => DurableFile.Replace(path, content);

    private static string ReadText(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        return File.ReadAllText(path);
    }

    private static JsonObject ParseObject(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: the top level must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message})", e);
        }
    }

    private static JsonNode Required(JsonObject o, string field, string source) =>
        o[field] ?? throw new FormatException($"{source}: missing field \"{field}\"");

    private static int IntField(JsonObject o, string field, string source) =>
        Required(o, field, source) is JsonValue v && v.TryGetValue(out int i) ? i
            : throw new FormatException($"{source}: \"{field}\" must be an integer");

    private static string StringAt(JsonNode? n, string where, string source) =>
        n is JsonValue v && v.TryGetValue(out string? s) ? s : throw new FormatException($"{source}: \"{where}\" must be a string");

    private static float[][] ReadMatrix(JsonObject o, string field, string source)
    {
        if (Required(o, field, source) is not JsonArray rows) throw new FormatException($"{source}: \"{field}\" must be an array of arrays");
        return rows.Select((row, r) => Floats(row, $"\"{field}\"[{r}]", source)).ToArray();
    }

    private static float[] ReadVector(JsonObject o, string field, string source) =>
        Floats(Required(o, field, source), $"\"{field}\"", source);

    private static float[] Floats(JsonNode? node, string where, string source) => node is JsonArray values
        ? values.Select((v, i) => v is JsonValue jv && jv.TryGetValue(out double d) ? (float)d
            : throw new FormatException($"{source}: {where}[{i}] must be a number")).ToArray()
        : throw new FormatException($"{source}: {where} must be an array");

    private static List<GenotypeEdge> ReadEdges(JsonObject o, string field, string source)
    {
        if (Required(o, field, source) is not JsonArray edges) throw new FormatException($"{source}: \"{field}\" must be an array");
        return edges.Select((e, i) => e is JsonArray pair && pair.Count == 2 && pair[1] is JsonValue iv && iv.TryGetValue(out int input)
            ? new GenotypeEdge(StringAt(pair[0], $"{field}[{i}][0]", source), input)
            : throw new FormatException($"{source}: \"{field}\"[{i}] must be [\"op_name\", input_index]")).ToList();
    }

    private static List<int> ReadInts(JsonObject o, string field, string source)
    {
        if (Required(o, field, source) is not JsonArray values) throw new FormatException($"{source}: \"{field}\" must be an array");
        return values.Select((v, i) => v is JsonValue jv && jv.TryGetValue(out int x) ? x
            : throw new FormatException($"{source}: \"{field}\"[{i}] must be an integer")).ToList();
    }

    private static JsonArray Matrix(float[][] rows) => new(rows.Select(r => (JsonNode?)Vector(r)).ToArray());

    private static JsonArray Vector(float[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonArray Edges(IEnumerable<GenotypeEdge> edges) =>
        new(edges.Select(e => (JsonNode?)new JsonArray(JsonValue.Create(e.Op), JsonValue.Create(e.Input))).ToArray());

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
