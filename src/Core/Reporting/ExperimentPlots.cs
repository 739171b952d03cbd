using System.Text.Json.Nodes;
using ScottPlot;
using VideoNas.Core.Experiments;
using VideoNas.Core.Search;

namespace VideoNas.Core.Reporting;

/// <summary>
/// The experiment's charts (ScottPlot, PNG): the losses and the accuracies of all seeds over the epochs,
/// w-split solid and α-split dashed; and per seed and cell type softmax(α) over the epochs, a panel per edge
/// (<see cref="AlphaPanels"/>), from the seed's <c>genotype_history.jsonl</c>.
/// </summary>
public static class ExperimentPlots
{
    public const string LossFileName = "loss.png";
    public const string AccuracyFileName = "accuracy.png";

    public static void Curves(IReadOnlyList<SeedRun> runs, string folder)
    {
        Curve(runs, Path.Combine(folder, LossFileName), "loss", e => e.TrainLoss, e => e.ArchLoss);
        Curve(runs, Path.Combine(folder, AccuracyFileName), "accuracy", e => e.TrainAccuracy, e => e.ArchAccuracy);
    }

    private static void Curve(IReadOnlyList<SeedRun> runs, string file, string what, Func<SeedEpoch, double> train, Func<SeedEpoch, double?> arch)
    {
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < runs.Count; i++)
        {
            var epochs = runs[i].Epochs;
            if (epochs.Count == 0) continue;
            var color = palette.GetColor(i);
            var w = plot.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(train).ToArray(), color);
            w.LegendText = $"seed {runs[i].Seed} w-split";
            var withArch = epochs.Where(e => arch(e) is not null).ToList();
            if (withArch.Count == 0) continue;
            var a = plot.Add.Scatter(withArch.Select(e => (double)e.Epoch).ToArray(), withArch.Select(e => arch(e)!.Value).ToArray(), color);
            a.LinePattern = LinePattern.Dashed;
            a.LegendText = $"seed {runs[i].Seed} α-split";
        }
        plot.Title($"{what} per epoch, every seed");
        plot.XLabel("epoch");
        plot.YLabel(what);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(file, 900, 560);
    }

    /// <summary>The α charts of one seed, <c>alphas-seed-S-normal.png</c> and <c>-reduce.png</c>; nothing when it has no history yet.</summary>
    public static IReadOnlyList<string> Alphas(SeedRun run, string folder)
    {
        string history = Path.Combine(run.OutputDir, SearchFiles.HistoryFileName);
        string alphasFile = Path.Combine(run.OutputDir, SearchFiles.AlphasFileName);
        if (!File.Exists(history) || !File.Exists(alphasFile)) return [];
        var primitives = SearchFiles.ReadAlphas(alphasFile).Primitives;
        var lines = File.ReadAllLines(history).Select(l => JsonNode.Parse(l)!).ToList();
        var written = new List<string>();
        foreach (var cell in new[] { "normal", "reduce" })
        {
            // [epoch][edge][op]
            var weights = lines.Select(l => l[$"softmax_{cell}"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray()).ToArray();
            string file = Path.Combine(folder, $"alphas-seed-{run.Seed}-{cell}.png");
            AlphaPanels.Png(weights, primitives, $"seed {run.Seed}, {cell} cell\nsoftmax(α) per edge, by epoch", file);
            written.Add(file);
        }
        return written;
    }
}
