using System.Text.Json.Nodes;
using ScottPlot;
using VideoNas.Core.Experiments;
using VideoNas.Core.Search;

namespace VideoNas.Core.Reporting;

/// <summary>
/// The experiment's charts (ScottPlot, PNG): the losses and the accuracies of all seeds over the epochs,
/// w-split solid and α-split dashed; and per seed and cell type a heat map of softmax(α) over the epochs,
/// one row per edge and operation, from the seed's <c>genotype_history.jsonl</c>.
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

    /// <summary>The heat maps of one seed, <c>alphas-seed-S-normal.png</c> and <c>-reduce.png</c>; nothing when it has no history yet.</summary>
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
            Heatmap(weights, primitives, $"seed {run.Seed}, {cell} cell: softmax(α) per edge and operation", file);
            written.Add(file);
        }
        return written;
    }

    private static void Heatmap(double[][][] weights, IReadOnlyList<string> primitives, string title, string file)
    {
        int epochs = weights.Length, edges = weights[0].Length, ops = primitives.Count, rows = edges * ops;
        // ScottPlot places cell centres on Position's corners; one epoch is drawn as two half-width columns.
        int columns = Math.Max(2, epochs);
        var data = new double[rows, columns];
        for (int c = 0; c < columns; c++)
            for (int edge = 0; edge < edges; edge++)
                for (int op = 0; op < ops; op++)
                    data[edge * ops + op, c] = weights[Math.Min(c, epochs - 1)][edge][op];
        using var plot = new Plot();
        var map = plot.Add.Heatmap(data);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // Row 0 at the top; epoch e centred on x = e.
        map.Position = epochs == 1 ? new CoordinateRect(0.75, 1.25, 0, rows - 1) : new CoordinateRect(1, epochs, 0, rows - 1);
        plot.Add.ColorBar(map);
        var labels = new ScottPlot.TickGenerators.NumericManual();
        var (node, from) = (0, 0);
        for (int edge = 0; edge < edges; edge++)
        {
            for (int op = 0; op < ops; op++)
                labels.AddMajor(rows - 1 - (edge * ops + op), $"{ExperimentSummary.InputName(from)} → node {node}  {primitives[op]}");
            // Node n reads from the two cell inputs and nodes 0..n-1: n + 2 edges.
            if (++from == node + 2) (node, from) = (node + 1, 0);
        }
        plot.Axes.Left.TickGenerator = labels;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.SavePng(file, 1000, Math.Max(400, 120 + 14 * rows));
    }
}
