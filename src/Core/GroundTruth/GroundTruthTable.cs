using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.Evaluation;
using VideoNas.Core.Search;

namespace VideoNas.Core.GroundTruth;

/// <summary>One training of one table architecture.</summary>
public sealed record GroundTruthRun(long Seed, double ClipAccuracy, double VideoAccuracy, double WallSeconds);

/// <summary>A random genotype of the table's space (draw N of <c>genotype random</c>) with its trainings.</summary>
public sealed record GroundTruthEntry(int Draw, JsonNode Genotype, long Params, long FlopsPerClip, IReadOnlyList<GroundTruthRun> Runs)
{
    public Spread Video => Spread.Of(Runs.Select(r => r.VideoAccuracy).ToList());
    public Spread Clip => Spread.Of(Runs.Select(r => r.ClipAccuracy).ToList());

    public Genotype ParsedGenotype(string source) => SearchFiles.ParseGenotype(Genotype.ToJsonString(), $"{source}: draw {Draw}'s genotype");
}

/// <summary>
/// A small NAS-Bench of our own: random genotypes of one search space, each trained from scratch under one train
/// config on one benchmark over several seeds. Built once (resumable) and read by every later comparison, so that
/// a searched genotype is placed among trained architectures of its space instead of being retrained against a
/// few random draws. The dataset fingerprint and the train config pin what the numbers mean: a row trained under
/// others is refused.
/// </summary>
public sealed record GroundTruthTable(
    int Version, string Dataset, string DatasetFingerprint, IReadOnlyList<string> Primitives, int Steps, JsonNode TrainConfig,
    IReadOnlyList<GroundTruthEntry> Entries)
{
    public const int CurrentVersion = 1;
    public const string FileName = "table.json";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// How well the benchmark tells architectures apart: the std across architectures of their mean video accuracy
    /// against the mean std across training seeds of one architecture (entries with at least two runs).
    /// </summary>
    public (double AcrossArchitectures, double AcrossSeeds, int Architectures) Spreads()
    {
        var rows = Entries.Where(e => e.Runs.Count >= 2).ToList();
        if (rows.Count < 2) return (double.NaN, double.NaN, rows.Count);
        return (Spread.Of(rows.Select(e => e.Video.Mean).ToList()).Std, rows.Average(e => e.Video.Std), rows.Count);
    }

    /// <summary>
    /// Whether the rows were trained under <paramref name="config"/>: the stored config read as a TrainConfig, so a field
    /// added since the table was built compares at its default, the value its rows were trained with.
    /// </summary>
    public bool TrainedWith(Training.TrainConfig config) =>
        Training.TrainConfig.FromJson(TrainConfig.ToJsonString(), "the table's train_config").ToJson() == config.ToJson();

    /// <summary>The percentile of a video accuracy among the table's architectures: the share below it, ties counted half.</summary>
    public double Percentile(double videoAccuracy)
    {
        var means = Entries.Where(e => e.Runs.Count > 0).Select(e => e.Video.Mean).ToList();
        if (means.Count == 0) throw new InvalidOperationException("the table has no trained architecture yet");
        return (means.Count(m => m < videoAccuracy - 1e-12) + 0.5 * means.Count(m => Math.Abs(m - videoAccuracy) <= 1e-12)) / means.Count;
    }

    /// <summary>The entry trained for this genotype, if the table has it (compared by its JSON).</summary>
    public GroundTruthEntry? Find(Genotype genotype)
    {
        string json = JsonNode.Parse(SearchFiles.ToJson(genotype))!.ToJsonString();
        return Entries.FirstOrDefault(e => e.Genotype.ToJsonString() == json);
    }

    public GroundTruthTable With(GroundTruthEntry entry) =>
        this with { Entries = Entries.Where(e => e.Draw != entry.Draw).Append(entry).OrderBy(e => e.Draw).ToList() };

    public string ToJson() => JsonSerializer.Serialize(this, JsonFormats.Output) + "\n";

    public static GroundTruthTable Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ground-truth table (build one with `videonas groundtruth build`)", path);
        GroundTruthTable? table;
        try
        {
            table = JsonSerializer.Deserialize<GroundTruthTable>(File.ReadAllText(path), JsonFormats.Output);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a ground-truth table: {e.Message}", e);
        }
        if (table is null || table.Entries is null || table.Primitives is null || table.TrainConfig is null)
            throw new FormatException($"{path}: not a ground-truth table (\"entries\", \"primitives\" and \"train_config\" are required)");
        if (table.Version != CurrentVersion)
            throw new FormatException($"{path}: table version {table.Version}; this build reads version {CurrentVersion}");
        foreach (var e in table.Entries) e.ParsedGenotype(path);
        return table;
    }

    /// <summary>
    /// SHA-256 of the split's classes, clips with their labels, and every clip's size on disk: a regenerated or edited
    /// dataset gets another fingerprint, so its rows are not mixed with these.
    /// </summary>
    public static string Fingerprint(VideoDataset dataset)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string line) => sha.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        foreach (var name in dataset.Classes) Add($"class {name}");
        foreach (var (kind, clips) in new[] { ("train", dataset.Train), ("test", dataset.Test) })
            foreach (var clip in clips)
            {
                string path = Path.Combine(dataset.Root, clip.RelativePath);
                long size = File.Exists(path) ? new FileInfo(path).Length : Directory.Exists(path) ? Directory.GetFiles(path).Length : -1;
                Add($"{kind} {clip.RelativePath} {clip.Label} {size}");
            }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Every architecture by mean video accuracy, best first, with the benchmark's spreads on top.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var (across, seeds, n) = Spreads();
        sb.AppendLine(C, $"# Ground-truth table: {Entries.Count} random genotypes of [{string.Join(", ", Primitives)}], {Steps} nodes");
        sb.AppendLine();
        sb.AppendLine(C, $"Dataset `{Dataset}` (fingerprint {DatasetFingerprint[..12]}), train config in table.json.");
        sb.AppendLine();
        if (n >= 2)
        {
            var means = Spread.Of(Entries.Where(e => e.Runs.Count >= 2).Select(e => e.Video.Mean).ToList());
            sb.AppendLine(C, $"- Over {n} architectures with ≥ 2 seeds: video accuracy {means.Percent} (mean ± std across architectures), " +
                $"{Entries.Where(e => e.Runs.Count > 0).Min(e => e.Video.Mean) * 100:F1}–{Entries.Where(e => e.Runs.Count > 0).Max(e => e.Video.Mean) * 100:F1} %.");
            sb.AppendLine(C, $"- Std across architectures {across * 100:F1} points against {seeds * 100:F1} across training seeds of one architecture: " +
                $"ratio {across / seeds:F1} (a discriminative benchmark has at least 3).");
            sb.AppendLine();
        }
        sb.AppendLine("| rank | draw | parameters | MFLOPs / clip | video accuracy per seed | mean video | mean clip | wall (min) |");
        sb.AppendLine("|---:|---:|---:|---:|---|---:|---:|---:|");
        int rank = 0;
        foreach (var e in Entries.Where(e => e.Runs.Count > 0).OrderByDescending(e => e.Video.Mean))
            sb.AppendLine(C, $"| {++rank} | {e.Draw} | {e.Params:N0} | {e.FlopsPerClip / 1e6:F1} | " +
                $"{string.Join(", ", e.Runs.Select(r => $"s{r.Seed} {r.VideoAccuracy * 100:F1}"))} | {e.Video.Mean * 100:F1} % | {e.Clip.Mean * 100:F1} % | " +
                $"{e.Runs.Sum(r => r.WallSeconds) / 60:F1} |");
        return sb.ToString();
    }
}
