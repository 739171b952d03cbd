using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Selection;
using VideoNas.Nas.Selection;

namespace VideoNas.Client.Commands;

/// <summary><c>genotype select</c>: a genotype chosen from a trained supernet by one of <see cref="SelectionMethods"/>.</summary>
public static class GenotypeSelectCommand
{
    public const string ReportPrefix = "selection-";

    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "a search's output folder: its config.json and checkpoints/ hold the supernet", Required = true, HelpName = "DIR" };
        var data = new Option<string>("--data") { Description = "the dataset the search ran on (its α-split scores the candidates)", Required = true, HelpName = "DIR" };
        var split = CliOptions.Split();
        var method = new Option<string>("--method") { Description = $"how to choose: {string.Join(", ", SelectionMethods.All)}", Required = true, HelpName = "METHOD" };
        var tune = CliOptions.Number("--tune-steps", 2, "perturbation: w steps on the w-split after every round of decisions");
        var clips = CliOptions.Number("--clips", 0, "score on the first N clips of the α-split (0: all)");
        var population = CliOptions.Number("--population", EvolutionarySearch.Settings.Default.Population, "evolution: genotypes per generation");
        var generations = CliOptions.Number("--generations", EvolutionarySearch.Settings.Default.Generations, "evolution: generations");
        var parents = CliOptions.Number("--parents", EvolutionarySearch.Settings.Default.Parents, "evolution: the fittest genotypes each generation breeds from");
        var seed = CliOptions.Number("--seed", 0, "draws the edge order (perturbation), the population (evolution) and the scoring clips' offsets");
        var threads = CliOptions.Threads();
        var output = new Option<string?>("--out") { Description = "write the genotype here (default: stdout)", HelpName = "FILE" };
        var command = new Command("select", $"""
            Chooses a genotype from a trained supernet, by one of these methods:

            {SelectionMethods.Listing}

            The supernet is the last checkpoint of --run (a search's output folder); every score is its accuracy on the
            search's α-split (the half of the training list w never trained on), with normalisation on each batch's own
            statistics and the mean cross-entropy as the tie-break. Prints the genotype as JSON (or writes --out), the
            decisions on stderr, and keeps the method, its cost and every decision in <run>/selection-<method>.json.
            "perturbation_uniform" is meant for a supernet trained with α held uniform (warmup_epochs = epochs), and
            "evolution" for one trained single-path (single_path), as their papers do; any method runs on any supernet.

            Example:
              videonas genotype select --run runs/search-seed0 --data motion10-mid --method perturbation --clips 30 --out picked.json
            """) { run, data, split, method, tune, clips, population, generations, parents, seed, threads, output };
        command.SetAction(r =>
        {
            string name = r.GetValue(method)!;
            if (SelectionMethods.Problem(name) is { } problem) throw new UsageException($"--method: {problem}");
            if (r.GetValue(tune) < 0) throw new UsageException($"--tune-steps must not be negative, got {r.GetValue(tune)}");
            if (r.GetValue(clips) < 0) throw new UsageException($"--clips must not be negative, got {r.GetValue(clips)}");
            var evolution = new EvolutionarySearch.Settings(r.GetValue(population), r.GetValue(generations), r.GetValue(parents), EvolutionarySearch.Settings.Default.Mutation);
            try
            {
                evolution.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--population, --generations, --parents: {e.Message}");
            }
            var options = new SelectionOptions(name, r.GetValue(tune), r.GetValue(clips), evolution, r.GetValue(seed));
            CliOptions.ApplyThreads(r.GetValue(threads));
            string runDir = r.GetValue(run)!;
            if (!Directory.Exists(runDir)) throw new UsageException($"--run {runDir}: no such folder");
            var dataset = DatasetLayout.Open(r.GetValue(data)!, r.GetValue(split), 0);
            var outcome = Select(runDir, dataset, options, line => Console.Error.WriteLine(line));
            string json = SearchFiles.ToJson(outcome.Genotype);
            if (r.GetValue(output) is { } file) SearchFiles.WriteAtomically(file, json + "\n");
            else Console.WriteLine(json);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the selection on <paramref name="runDir"/>'s supernet and keeps its report there.</summary>
    public static SelectionOutcome Select(string runDir, VideoDataset dataset, SelectionOptions options, Action<string>? progress)
    {
        var (search, checkpoint) = TrainedSupernet.Open(runDir, dataset.Classes.Count);
        using (search)
        {
            Nas.TorchRuntime.RequireCorrectKernels();
            progress?.Invoke($"{options.Method} on the supernet of {checkpoint}");
            var outcome = SupernetSelection.Run(search, dataset, options, progress);
            var report = new JsonObject
            {
                ["method"] = outcome.Method,
                ["checkpoint"] = checkpoint,
                ["genotype"] = JsonNode.Parse(SearchFiles.ToJson(outcome.Genotype)),
                ["evaluations"] = outcome.Evaluations,
                ["scoring_clips"] = outcome.ScoringClips,
                ["tune_steps"] = options.TuneSteps,
                ["seed"] = options.Seed,
                ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["decisions"] = new JsonArray(outcome.Log.Select(l => (JsonNode)l).ToArray()),
            };
            SearchFiles.WriteAtomically(Path.Combine(runDir, ReportPrefix + outcome.Method + ".json"), report.ToJsonString(Core.JsonFormats.Output) + "\n");
            progress?.Invoke($"{outcome.Method}: {outcome.Evaluations} evaluations on {outcome.ScoringClips} clips in {outcome.Seconds:F0} s");
            return outcome;
        }
    }
}
