using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Core.Search;

namespace VideoNas.Core.Experiments;

/// <summary>
/// The comparison of an experiment's seeds: per seed the genotype, final α-split accuracy and loss and search
/// time; how far the seeds' genotypes agree (<see cref="GenotypeAgreement"/>) and the medoid genotype.
/// As <c>summary.json</c> and <c>summary.md</c>; seeds without a genotype yet are listed but not compared.
/// </summary>
public sealed class ExperimentSummary
{
    public const string JsonFileName = "summary.json";
    public const string MarkdownFileName = "summary.md";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string ExperimentId { get; }
    public IReadOnlyList<SeedRun> Runs { get; }
    public GenotypeAgreement? Agreement { get; }

    /// <summary>What <see cref="Agreement"/>'s mean would be for as many uniformly random genotypes.</summary>
    public double? ChanceAgreement { get; }

    /// <summary>The operations of the search space other than none: what chance agreement depends on.</summary>
    public int Operations { get; }

    public ExperimentSummary(string experimentId, IReadOnlyList<SeedRun> runs, int operations)
    {
        ExperimentId = experimentId;
        Runs = runs;
        Operations = operations;
        var genotypes = runs.Where(r => r.GenotypeJson is not null)
            .ToDictionary(r => r.Seed, r => SearchFiles.ParseGenotype(r.GenotypeJson!, $"seed {r.Seed}'s genotype"));
        Agreement = genotypes.Count > 0 ? GenotypeAgreement.Of(genotypes) : null;
        ChanceAgreement = genotypes.Count > 0 ? GenotypeAgreement.Chance(genotypes.Count, genotypes.Values.First().Steps, operations) : null;
    }

    public string ToJson()
    {
        var seeds = new JsonArray(Runs.Select(r => (JsonNode?)new JsonObject
        {
            ["seed"] = r.Seed,
            ["trial"] = r.TrialId,
            ["state"] = r.State,
            ["epochs"] = r.Epochs.Count,
            ["arch_accuracy"] = r.Last?.ArchAccuracy,
            ["arch_loss"] = r.Last?.ArchLoss,
            ["train_accuracy"] = r.Last?.TrainAccuracy,
            ["train_loss"] = r.Last?.TrainLoss,
            ["search_seconds"] = r.SearchSeconds,
            ["stop_reason"] = r.StopReason,
            ["agreement"] = Agreement is { } a && a.BySeed.TryGetValue(r.Seed, out double s) ? s : null,
            ["genotype"] = r.GenotypeJson is null ? null : JsonNode.Parse(r.GenotypeJson),
            ["run_files"] = r.OutputDir,
        }).ToArray());
        var root = new JsonObject { ["experiment"] = ExperimentId, ["seeds"] = seeds };
        if (Agreement is { } agreement)
        {
            root["mean_agreement"] = agreement.Mean;
            root["chance_agreement"] = ChanceAgreement;
            root["medoid_seed"] = agreement.Medoid;
            root["medoid_genotype"] = JsonNode.Parse(Runs.First(r => r.Seed == agreement.Medoid).GenotypeJson!);
            root["edges"] = new JsonArray(agreement.Edges.Select(e => (JsonNode?)new JsonObject
            {
                ["cell"] = e.Edge.Cell, ["node"] = e.Edge.Node, ["input"] = InputName(e.Edge.Input), ["op"] = e.Edge.Op, ["share"] = e.Share,
                ["seeds"] = new JsonArray(e.Seeds.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            }).ToArray());
        }
        return root.ToJsonString(JsonFormats.Indented);
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(C, $"# Experiment {ExperimentId}").AppendLine();
        md.AppendLine("| seed | state | epochs | α-split acc | α-split loss | w-split acc | search time | agreement |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Runs)
        {
            string agreement = Agreement is { } a && a.BySeed.TryGetValue(r.Seed, out double s) ? s.ToString("P0", C) : "";
            md.AppendLine(C, $"| {r.Seed} | {r.State} | {r.Epochs.Count} | {Percent(r.Last?.ArchAccuracy)} | {Number(r.Last?.ArchLoss)} | " +
                $"{Percent(r.Last?.TrainAccuracy)} | {Duration(r.SearchSeconds)} | {agreement} |");
        }
        foreach (var r in Runs.Where(r => r.StopReason is not null)) md.AppendLine().AppendLine(C, $"Seed {r.Seed}: {r.StopReason}");
        if (Agreement is not { } agreement2) return md.ToString();
        md.AppendLine().AppendLine(C, $"Mean agreement of the seeds' genotypes: **{agreement2.Mean:P0}** (the share of seeds that kept each seed's edges, averaged); " +
            $"as many genotypes drawn uniformly at random from this space would agree {ChanceAgreement:P0}. " +
            $"The genotype the others agree with most is seed {agreement2.Medoid}'s:").AppendLine();
        md.AppendLine("```json").AppendLine(Runs.First(r => r.Seed == agreement2.Medoid).GenotypeJson).AppendLine("```").AppendLine();
        md.AppendLine("| cell | node | input | op | share of seeds | seeds |");
        md.AppendLine("|---|---:|---|---|---:|---|");
        foreach (var e in agreement2.Edges)
            md.AppendLine(C, $"| {e.Edge.Cell} | {e.Edge.Node} | {InputName(e.Edge.Input)} | {e.Edge.Op} | {e.Share:P0} | {string.Join(", ", e.Seeds)} |");
        return md.ToString();
    }

    /// <summary>How cell diagrams and tables name an edge's input: the two cell inputs, then the intermediate nodes.</summary>
    public static string InputName(int input) => input switch { 0 => "c_{k-2}", 1 => "c_{k-1}", _ => $"node {input - 2}" };

    private static string Percent(double? v) => v is { } x ? x.ToString("P1", C) : "";
    private static string Number(double? v) => v is { } x ? x.ToString("F3", C) : "";
    private static string Duration(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(Math.Round(s)).ToString("c", C) : "";
}
