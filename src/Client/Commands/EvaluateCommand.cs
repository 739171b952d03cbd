using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoNas.Client.Commands.Experiment;
using VideoNas.Core.Data;
using VideoNas.Core.Evaluation;
using VideoNas.Core.Experiments;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Reporting;
using VideoNas.Core.Search;
using VideoNas.Core.Selection;
using VideoNas.Core.Training;
using VideoNas.Grains;
using VideoNas.Nas.Models;
using VideoNas.Nas.Training;

namespace VideoNas.Client.Commands;

/// <summary><c>evaluate</c>: the evaluation protocol, from the search over several seeds to the report against random genotypes and baselines.</summary>
public static class EvaluateCommand
{
    private const string Description = """
        Searched genotypes against random ones and baselines, over several seeds: the honest comparison.

        The evaluation protocol of the NAS literature (Li and Talwalkar 2019; Yang et al. 2020), on the embedded
        default, resumable: (1) an experiment searches with every --search-seeds seed (experiment run); (2) each
        derived genotype, --random genotypes drawn uniformly from the same space (genotype random), and each
        --baselines model at its published width and at the width that matches the searched networks' mean
        parameter count are trained from scratch with the same --train-config, once per --train-seeds seed;
        (3) evaluation.md, evaluation.json and accuracy_vs_params.png in --out: per model parameters, FLOPs per clip,
        clip and video accuracy as mean ± std over the training seeds, and the searched genotypes' mean against the
        random genotypes', as a difference with its spread. The same command again skips every search and
        training that already finished (each training writes result.json under --out/train/).

        --selection chooses how each seed's genotype is taken from its trained supernet, one group of searched
        genotypes per method (each also `videonas genotype select`; a selection already done is read back from
        <run>/selection-METHOD.json):
        <methods>

        --table places every group's genotypes in a ground-truth table built on the same data under the same
        --train-config (groundtruth build): their percentile, and whether they beat the table's random mean by more
        than twice the spread and rank in its top 20 % (issue 25's bar).
        """;

    public static Command Create()
    {
        var searchConfig = new Option<string>("--search-config") { Description = "the search config (JSON), e.g. docs/experiments/search-p3d.json", Required = true, HelpName = "FILE" };
        var trainConfig = new Option<string?>("--train-config") { Description = "the training config (JSON) every model gets, e.g. docs/experiments/train.json", HelpName = "FILE" };
        var data = CliOptions.Data();
        var state = CliOptions.State();
        var outDir = CliOptions.Out("where everything goes (default <state>/evaluations/<id>)");
        var id = new Option<string>("--id") { Description = "the evaluation's id: the same id resumes it", DefaultValueFactory = _ => "evaluation", HelpName = "ID" };
        var searchSeeds = new Option<string>("--search-seeds") { Description = "search seeds: N, a list or a range (as experiment --seeds)", DefaultValueFactory = _ => "3", HelpName = "SEEDS" };
        var randoms = CliOptions.Number("--random", 3, "genotypes drawn uniformly from the search space (draws 0..N-1)");
        var trainSeeds = new Option<string>("--train-seeds") { Description = "training seeds of every model: N, a list or a range", DefaultValueFactory = _ => "2", HelpName = "SEEDS" };
        var baselines = new Option<string>("--baselines")
        {
            Description = $"manual baselines, comma-separated ({string.Join(", ", Baselines.Names)}), or none", DefaultValueFactory = _ => "r3d18,r2plus1d18", HelpName = "LIST",
        };
        var selection = new Option<string>("--selection")
        {
            Description = $"selection methods, comma-separated: {string.Join(", ", SelectionMethods.All)}", DefaultValueFactory = _ => SelectionMethods.Argmax, HelpName = "LIST",
        };
        var selectionClips = CliOptions.Number("--selection-clips", 0, "clips of the α-split each selection score runs on (0: all)");
        var table = new Option<string?>("--table") { Description = "a ground-truth table (table.json or its folder) to place the searched genotypes in", HelpName = "DIR" };
        var command = new Command("evaluate", Description.Replace("<methods>", SelectionMethods.Listing, StringComparison.Ordinal))
        {
            searchConfig, trainConfig, data, state, outDir, id, searchSeeds, randoms, trainSeeds, baselines, selection, selectionClips, table,
        };
        command.SetAction(async (r, _) =>
        {
            string stateDir = Path.GetFullPath(r.GetValue(state)!), evaluationId = r.GetValue(id)!;
            if (TrialId.Problem(evaluationId) is { } bad) throw new UsageException($"--id: {bad}");
            var search = SearchConfig.FromJson(CliOptions.ReadConfig(r.GetValue(searchConfig)!), r.GetValue(searchConfig)!);
            var train = r.GetValue(trainConfig) is { } trainPath ? TrainConfig.FromJson(CliOptions.ReadConfig(trainPath), trainPath) : new TrainConfig();
            var plan = new Plan(
                Path.GetFullPath(r.GetValue(outDir) ?? Path.Combine(stateDir, "evaluations", evaluationId)),
                DefaultDataset.Resolve(r.GetValue(data), stateDir, (int)search.Seed), search, train,
                CliOptions.AsUsage(() => SeedList.Parse(r.GetValue(searchSeeds)!, "--search-seeds")), r.GetValue(randoms),
                CliOptions.AsUsage(() => SeedList.Parse(r.GetValue(trainSeeds)!, "--train-seeds")),
                BaselineList(r.GetValue(baselines)!), MethodList(r.GetValue(selection)!), r.GetValue(selectionClips), r.GetValue(table));
            if (plan.SelectionClips < 0) throw new UsageException($"--selection-clips must not be negative, got {plan.SelectionClips}");
            var groundTruth = plan.Table is null ? null : ComparableTable(plan);
            var searched = await Search(plan, stateDir, $"{evaluationId}-search");
            return searched is null ? 1 : Evaluate(plan, searched, groundTruth);
        });
        return command;
    }

    private sealed record Plan(string Out, string Data, SearchConfig Search, TrainConfig Train, IReadOnlyList<long> SearchSeeds, int Randoms,
        IReadOnlyList<long> TrainSeeds, IReadOnlyList<string> Baselines, IReadOnlyList<string> Selection, int SelectionClips, string? Table);

    private sealed record Candidate(string Group, string Name, string? Baseline, Genotype? Genotype, double Width);

    /// <summary>Runs (or resumes, or finds finished) the search experiment; returns each seed's run folder, or null when it did not complete.</summary>
    private static async Task<IReadOnlyList<(long Seed, string Run)>?> Search(Plan plan, string stateDir, string experimentId)
    {
        var spec = new ExperimentSpec(plan.Search.ToJson(), plan.Data, 1, Path.Combine(plan.Out, "search"), plan.SearchSeeds, 1);
        Console.WriteLine($"search: experiment {experimentId}, seeds {string.Join(",", plan.SearchSeeds)}");
        var status = await ExperimentRunCommand.RunToEnd(stateDir, experimentId, spec);
        if (status.State != TrialState.Completed)
        {
            Console.Error.WriteLine($"the search ended {status.State}{(status.Error is null ? "" : $": {status.Error}")}; run the same command again to resume it");
            return null;
        }
        return status.Trials.Where(t => t.Status?.GenotypeJson is not null).Select(t => (t.Seed, t.Status!.OutputDir)).ToList();
    }

    /// <summary>The genotype <paramref name="method"/> takes from a seed's supernet: argmax is the search's own genotype.json.</summary>
    private static Genotype Selected(string run, long seed, string method, Plan plan, VideoDataset dataset)
    {
        if (method == SelectionMethods.Argmax) return SearchFiles.ReadGenotype(Path.Combine(run, SearchFiles.GenotypeFileName));
        string report = Path.Combine(run, GenotypeSelectCommand.ReportPrefix + method + ".json");
        if (File.Exists(report))
        {
            Console.WriteLine($"seed {seed}, {method}: already selected ({report})");
            return SearchFiles.ParseGenotype(JsonNode.Parse(File.ReadAllText(report))!["genotype"]!.ToJsonString(), report);
        }
        Console.WriteLine($"seed {seed}, {method}: selecting from the supernet of {run}");
        var options = new Nas.Selection.SelectionOptions(method, ScoringClips: plan.SelectionClips, Seed: seed);
        return GenotypeSelectCommand.Select(run, dataset, options, line => Console.WriteLine($"  {line}")).Genotype;
    }

    private static int Evaluate(Plan plan, IReadOnlyList<(long Seed, string Run)> searched, GroundTruthTable? groundTruth)
    {
        var dataset = DatasetLayout.Open(plan.Data, 1, 0);
        var candidates = plan.Selection.SelectMany(method => searched.Select(s => new Candidate(EvaluationReport.SearchedBy(method),
            method == SelectionMethods.Argmax ? $"searched s{s.Seed}" : $"{method} s{s.Seed}", null, Selected(s.Run, s.Seed, method, plan, dataset), 1))).ToList();
        candidates.AddRange(Enumerable.Range(0, plan.Randoms).Select(i =>
            new Candidate(EvaluationReport.Random, $"random r{i}", null, RandomGenotype.Sample(plan.Search.Primitives, plan.Search.Steps, i), 1)));
        foreach (var c in candidates) SearchFiles.WriteAtomically(Path.Combine(plan.Out, "genotypes", Slug(c.Name) + ".json"), SearchFiles.ToJson(c.Genotype!) + "\n");
        long target = (long)candidates.Where(c => EvaluationReport.IsSearched(c.Group)).Average(c => Parameters(c, plan, dataset.Classes.Count));
        foreach (var baseline in plan.Baselines)
        {
            candidates.Add(new Candidate(EvaluationReport.Baseline, baseline, baseline, null, 1));
            var (width, parameters) = WidthMatch.For(baseline, dataset.Classes.Count, target);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} at width {1:G4} has {2:N0} parameters; the searched networks have {3:N0} on average",
                baseline, width, parameters, target));
            candidates.Add(new Candidate(EvaluationReport.MatchedBaseline, string.Format(CultureInfo.InvariantCulture, "{0} ×{1:G3}", baseline, width), baseline, null, width));
        }

        var runs = new List<EvaluatedRun>();
        int job = 0, jobs = candidates.Count * plan.TrainSeeds.Count;
        foreach (var c in candidates)
            foreach (long seed in plan.TrainSeeds)
                runs.Add(new EvaluatedRun(c.Group, c.Name, seed, TrainOnce(c, seed, plan, dataset, $"[{++job}/{jobs}]")));

        var report = new EvaluationReport(runs);
        string markdown = report.ToMarkdown() + (groundTruth is null ? "" : InTable(report, runs, groundTruth));
        SearchFiles.WriteAtomically(Path.Combine(plan.Out, "evaluation.md"), markdown);
        SearchFiles.WriteAtomically(Path.Combine(plan.Out, "evaluation.json"), report.ToJson());
        report.Plot(Path.Combine(plan.Out, "accuracy_vs_params.png"));
        Console.WriteLine(markdown);
        Console.WriteLine($"report: {Path.Combine(plan.Out, "evaluation.md")} (and evaluation.json, accuracy_vs_params.png)");
        return 0;
    }

    /// <summary>One training, or its result.json when an earlier run of the same evaluation finished it.</summary>
    private static TrainResult TrainOnce(Candidate c, long seed, Plan plan, VideoDataset dataset, string counter)
    {
        string dir = Path.Combine(plan.Out, "train", Slug(c.Name), $"seed-{seed}");
        if (File.Exists(Path.Combine(dir, ComparisonReport.ResultFileName)))
        {
            Console.WriteLine($"{counter} {c.Name}, training seed {seed}: already trained ({dir})");
            return ComparisonReport.ReadResult(dir);
        }
        var config = plan.Train with { Seed = seed, Width = c.Width };
        Console.WriteLine($"{counter} {c.Name}, training seed {seed}: {config.Epochs} epochs");
        var result = new ModelChoice(c.Name, c.Baseline, c.Genotype).TrainFromScratch(config, dataset);
        Directory.CreateDirectory(dir);
        SearchFiles.WriteAtomically(Path.Combine(dir, "config.json"), config.ToJson());
        SearchFiles.WriteAtomically(Path.Combine(dir, ComparisonReport.ResultFileName), JsonSerializer.Serialize(result, Core.JsonFormats.Output));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} {1}: clip accuracy {2:P1}, video accuracy {3:P1}, {4:N0} parameters",
            counter, c.Name, result.ClipAccuracy, result.VideoAccuracy, result.Params));
        return result;
    }

    private static long Parameters(Candidate c, Plan plan, int classes)
    {
        using var model = new ModelChoice(c.Name, c.Baseline, c.Genotype).CreateBackbone(classes, plan.Train with { Width = 1, Seed = 0 });
        return ModelZoo.ParameterCount(model);
    }

    /// <summary>Each group of searched genotypes placed in the ground-truth table.</summary>
    private static string InTable(EvaluationReport report, IReadOnlyList<EvaluatedRun> runs, GroundTruthTable table) =>
        string.Concat(report.SearchedGroups.Select(group => "\n" + new PicksAgainstTable(group, table, runs.Where(r => r.Group == group)
            .GroupBy(r => r.Model).Select(g => new TrainedPick(g.Key, g.Select(r => r.Result.VideoAccuracy).ToList())).ToList()).ToMarkdown()));

    /// <summary>The --table, when its rows were trained as this evaluation trains: the same data and train config.</summary>
    private static GroundTruthTable ComparableTable(Plan plan)
    {
        var table = GroundTruth.GroundTruthInputs.Table(plan.Table!);
        GroundTruth.GroundTruthInputs.Dataset(table, plan.Table!, plan.Data, 1);
        if (!table.TrainedWith(plan.Train))
            throw new UsageException($"--table {plan.Table}: built with another train config than --train-config; its rows could not be compared");
        return table;
    }

    private static IReadOnlyList<string> MethodList(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (names.Count == 0) throw new UsageException($"--selection: give at least one of {string.Join(", ", SelectionMethods.All)}");
        foreach (var n in names)
            if (SelectionMethods.Problem(n) is { } problem) throw new UsageException($"--selection: {problem}");
        return names;
    }

    private static string Slug(string name) => string.Concat(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_'));

    private static IReadOnlyList<string> BaselineList(string text)
    {
        if (text == "none") return [];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var n in names.Where(n => !Baselines.IsKnown(n)))
            throw new UsageException($"--baselines: unknown model \"{n}\"; known: {string.Join(", ", Baselines.Names)}, or none");
        return names;
    }
}
