using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas.Selection;
using static TorchSharp.torch;

namespace VideoNas.Client.Commands.GroundTruth;

/// <summary><c>groundtruth proxies</c>: how well each zero-cost proxy ranks a table's architectures, and a screen of many more.</summary>
public static class GroundTruthProxiesCommand
{
    public static Command Create()
    {
        var table = GroundTruthInputs.TableOption();
        var data = GroundTruthInputs.DataOption();
        var split = CliOptions.Split();
        var batch = CliOptions.Number("--batch", 16, "training clips in the one batch every network is scored on");
        var seed = CliOptions.Number("--seed", 0, "draws the batch and every network's initial weights");
        var screen = CliOptions.Number("--screen", 0, "also score draws 0..N-1 of `genotype random` and list each proxy's best (0: the table's draws only)");
        var top = CliOptions.Number("--top", 5, "with --screen: how many of each proxy's best to list");
        var threads = CliOptions.Threads();
        var json = CliOptions.Json("print every score as JSON instead of the summary");
        var command = new Command("proxies", $"""
            Scores architectures with the zero-cost proxies ({string.Join(", ", ZeroCostProxyNames.All)}) and measures
            how well each ranks the table.

            Every network is built as its training would start (the table's train config, weights drawn from --seed)
            and scored on the same --batch training clips: grad_norm (Σ‖∂L/∂w‖ of one batch), synflow (Tanaka et al.
            2020; data-free, on |w| in float64) and jacob_cov (Mellor et al. 2021; the correlation of the input
            Jacobians across the batch). Against the table's mean video accuracy it prints Spearman ρ, Kendall τ-b and
            the top-10 % precision (the share of a proxy's top tenth that is in the table's). With --screen N it also
            scores draws 0..N-1 and lists each proxy's best: the candidates a zero-cost screen would train. About a
            second per network and proxy on 2 cores at 32 px.

            Example:
              videonas groundtruth proxies --table docs/results/groundtruth-p3d-mid --data motion10-mid --screen 500
            """) { table, data, split, batch, seed, screen, top, threads, json };
        command.SetAction(r =>
        {
            int batchSize = r.GetValue(batch), screenCount = r.GetValue(screen), topCount = r.GetValue(top);
            if (batchSize is < 2 or > 1024) throw new UsageException($"--batch must be between 2 and 1024, got {batchSize}");
            if (screenCount is < 0 or > 100_000) throw new UsageException($"--screen must be between 0 and 100000, got {screenCount}");
            if (topCount is < 1 or > 1000) throw new UsageException($"--top must be between 1 and 1000, got {topCount}");
            CliOptions.ApplyThreads(r.GetValue(threads));
            string path = r.GetValue(table)!;
            var groundTruth = GroundTruthInputs.Table(path);
            return Run(groundTruth, path, r.GetValue(data)!, r.GetValue(split), batchSize, r.GetValue(seed), screenCount, topCount, r.GetValue(json));
        });
        return command;
    }

    private static int Run(GroundTruthTable table, string tablePath, string dataDir, int split, int batchSize, long seed, int screen, int top, bool json)
    {
        var dataset = GroundTruthInputs.Dataset(table, tablePath, dataDir, split);
        var config = TrainConfig.FromJson(table.TrainConfig.ToJsonString(), $"{tablePath}: train_config");
        using var clips = ProxyScreen.Batch(config, dataset, batchSize, seed);
        var proxies = ZeroCostProxyNames.All;
        nn.Module<Tensor, Tensor> Backbone(Genotype g) => new ModelChoice("proxy", null, g).CreateBackbone(dataset.Classes.Count, config with { AuxiliaryWeight = 0, Seed = seed });

        var trained = table.Entries.Where(e => e.Runs.Count > 0).OrderBy(e => e.Draw).ToList();
        var scores = new Dictionary<int, double[]>();
        var clock = Stopwatch.StartNew();
        var drawsToScore = trained.Select(e => e.Draw).Union(Enumerable.Range(0, screen)).Order().ToList();
        foreach (int draw in drawsToScore)
        {
            var genotype = trained.FirstOrDefault(e => e.Draw == draw)?.ParsedGenotype(tablePath) ?? RandomGenotype.Sample(table.Primitives, table.Steps, draw);
            scores[draw] = ProxyScreen.Score(genotype, proxies, Backbone, clips);
            if (scores.Count % 25 == 0 && !json) Console.Error.WriteLine($"scored {scores.Count} of {drawsToScore.Count} networks ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        if (json)
        {
            var rows = new JsonArray(scores.OrderBy(s => s.Key).Select(s => (JsonNode)new JsonObject
            {
                ["draw"] = s.Key,
                ["video_accuracy"] = trained.FirstOrDefault(e => e.Draw == s.Key)?.Video.Mean,
                ["scores"] = new JsonObject(proxies.Select((p, i) => KeyValuePair.Create(p, (JsonNode?)JsonValue.Create(s.Value[i])))),
            }).ToArray());
            Console.WriteLine(new JsonObject { ["batch"] = batchSize, ["seed"] = seed, ["networks"] = rows }.ToJsonString(Core.JsonFormats.Output));
            return 0;
        }
        Console.Write(Summary(table, trained, scores, proxies, screen, top, clock.Elapsed));
        return 0;
    }

    private static string Summary(GroundTruthTable table, IReadOnlyList<GroundTruthEntry> trained, Dictionary<int, double[]> scores,
        IReadOnlyList<string> proxies, int screen, int top, TimeSpan wall)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var truth = trained.Select(e => e.Video.Mean).ToList();
        text.AppendLine(c, $"Zero-cost proxies against {trained.Count} trained architectures of \"{table.Dataset}\" ({scores.Count} networks scored in {wall.TotalSeconds:F0} s)");
        text.AppendLine();
        text.Append(RankingQuality.MarkdownHeader);
        for (int i = 0; i < proxies.Count; i++)
            text.AppendLine(RankingQuality.Of(proxies[i], trained.Select(e => scores[e.Draw][i]).ToList(), truth).MarkdownRow());
        if (screen == 0) return text.ToString();
        text.AppendLine();
        text.AppendLine(c, $"Best {top} of draws 0..{screen - 1} by each proxy (video accuracy where the table has the draw):");
        for (int i = 0; i < proxies.Count; i++)
        {
            var best = scores.Where(s => s.Key < screen).OrderByDescending(s => s.Value[i]).ThenBy(s => s.Key).Take(top)
                .Select(s => trained.FirstOrDefault(e => e.Draw == s.Key) is { } e ? string.Format(c, "{0} ({1:P1})", s.Key, e.Video.Mean) : $"{s.Key}");
            text.AppendLine(c, $"- {proxies[i]}: {string.Join(", ", best)}");
        }
        return text.ToString();
    }
}
