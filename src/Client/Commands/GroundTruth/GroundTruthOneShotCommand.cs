using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;
using VideoNas.Nas.Data;
using VideoNas.Nas.Selection;

namespace VideoNas.Client.Commands.GroundTruth;

/// <summary><c>groundtruth oneshot</c>: how well a trained supernet ranks a table's architectures with inherited weights.</summary>
public static class GroundTruthOneShotCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "a search's output folder: its config.json and checkpoints/ hold the supernet", Required = true, HelpName = "DIR" };
        var table = GroundTruthInputs.TableOption();
        var data = GroundTruthInputs.DataOption();
        var split = CliOptions.Split();
        var seed = CliOptions.Number("--seed", 0, "draws the scoring clips' segment offsets");
        var threads = CliOptions.Threads();
        var json = CliOptions.Json("print every score as JSON instead of the summary");
        var command = new Command("oneshot", """
            Ranks a table's architectures with a trained supernet (one-shot) and measures the ranking against the table.

            Every architecture of --table is run as a sub-network of the supernet in --run (its genotype's path: each kept
            edge runs only its operation, with the weights the search trained) on the search's α-split, the half of the
            training list that w never trained on, each clip sampled once; normalisation uses each batch's own statistics
            (recomputed per sub-network). Prints the supernet's own accuracy on its w-split and α-split (a supernet that
            memorises w and fails α ranks by noise), Spearman ρ, Kendall τ-b and top-10 % precision of the sub-networks'
            α-split accuracy against the table's video accuracy, and the architecture the one-shot score would pick.

            Example:
              videonas groundtruth oneshot --run runs/search-seed0 --table docs/results/groundtruth-p3d-mid --data motion10-mid
            """) { run, table, data, split, seed, threads, json };
        command.SetAction(r =>
        {
            CliOptions.ApplyThreads(r.GetValue(threads));
            string tablePath = r.GetValue(table)!;
            var groundTruth = GroundTruthInputs.Table(tablePath);
            var dataset = GroundTruthInputs.Dataset(groundTruth, tablePath, r.GetValue(data)!, r.GetValue(split));
            string runDir = r.GetValue(run)!;
            if (!Directory.Exists(runDir)) throw new UsageException($"--run {runDir}: no such folder");
            var (search, checkpoint) = TrainedSupernet.Open(runDir, dataset.Classes.Count);
            using (search)
            {
                Nas.TorchRuntime.RequireCorrectKernels();
                using var halves = new SearchData(dataset, search.Config);
                long scoringSeed = r.GetValue(seed);
                using var alpha = OneShotScorer.On(search.Model, dataset, halves.ArchSplit, scoringSeed);
                using var weight = OneShotScorer.On(search.Model, dataset, halves.WeightSplit, scoringSeed);
                var trained = groundTruth.Entries.Where(e => e.Runs.Count > 0).OrderBy(e => e.Draw).ToList();
                var scores = trained.Select(e => alpha.Accuracy(e.ParsedGenotype(tablePath))).ToList();
                var report = new OneShotReport(runDir, checkpoint, search.Config.SinglePath, weight.Accuracy(null), alpha.Accuracy(null), alpha.Clips, trained, scores,
                    RankingQuality.Of("one-shot α-split accuracy", scores, trained.Select(e => e.Video.Mean).ToList()), groundTruth);
                Console.Write(r.GetValue(json) ? report.ToJson() : report.ToMarkdown());
            }
            return 0;
        });
        return command;
    }

    private sealed record OneShotReport(string Run, string Checkpoint, bool SinglePath, double WeightSplitAccuracy, double AlphaSplitAccuracy, int AlphaClips,
        IReadOnlyList<GroundTruthEntry> Entries, IReadOnlyList<double> Scores, RankingQuality Quality, GroundTruthTable Table)
    {
        private GroundTruthEntry? Pick => Entries.Count == 0 ? null : Entries[Scores.ToList().IndexOf(Scores.Max())];

        public string ToJson() => new JsonObject
        {
            ["run"] = Run,
            ["checkpoint"] = Checkpoint,
            ["single_path"] = SinglePath,
            ["supernet_w_split_accuracy"] = WeightSplitAccuracy,
            ["supernet_alpha_split_accuracy"] = AlphaSplitAccuracy,
            ["alpha_split_clips"] = AlphaClips,
            ["spearman_rho"] = double.IsNaN(Quality.Rho) ? null : Quality.Rho,
            ["kendall_tau"] = double.IsNaN(Quality.Tau) ? null : Quality.Tau,
            ["top_tenth_precision"] = double.IsNaN(Quality.TopTenth) ? null : Quality.TopTenth,
            ["architectures"] = new JsonArray(Entries.Select((e, i) => (JsonNode)new JsonObject
            {
                ["draw"] = e.Draw, ["one_shot_accuracy"] = Scores[i], ["video_accuracy"] = e.Video.Mean,
            }).ToArray()),
        }.ToJsonString(Core.JsonFormats.Output) + "\n";

        public string ToMarkdown()
        {
            var c = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.AppendLine(c, $"One-shot ranking by the supernet of {Run} ({Path.GetFileName(Checkpoint)}) against \"{Table.Dataset}\"");
            text.AppendLine();
            string untrained = SinglePath ? "; trained single-path, so α never moved and only its paths mean something" : "";
            text.AppendLine(c, $"- The supernet (α-weighted): {WeightSplitAccuracy:P1} on its w-split, {AlphaSplitAccuracy:P1} on its α-split ({AlphaClips} clips){untrained}.");
            if (Pick is { } pick)
                text.AppendLine(c, $"- The one-shot pick among the table's {Entries.Count}: draw {pick.Draw}, {pick.Video.Mean:P1} video accuracy trained from scratch, " +
                    $"percentile {Table.Percentile(pick.Video.Mean):P0} (the table's mean {Entries.Average(e => e.Video.Mean):P1}).");
            text.AppendLine();
            text.Append(RankingQuality.MarkdownHeader);
            text.AppendLine(Quality.MarkdownRow());
            text.AppendLine();
            text.AppendLine("| draw | one-shot α-split accuracy | video accuracy from scratch |");
            text.AppendLine("|---:|---:|---:|");
            foreach (var (e, s) in Entries.Zip(Scores).OrderByDescending(p => p.Second).ThenBy(p => p.First.Draw))
                text.AppendLine(c, $"| {e.Draw} | {s:P1} | {e.Video.Mean:P1} |");
            return text.ToString();
        }
    }
}
