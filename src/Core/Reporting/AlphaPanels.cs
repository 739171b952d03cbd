using ScottPlot;
using VideoNas.Core.Experiments;

namespace VideoNas.Core.Reporting;

/// <summary>
/// softmax(α) of one cell over the epochs as DARTS users read it: one small panel per edge, laid out as the cell is
/// (a row per node, a column per input), a line per operation, the edge's leading operation drawn thick and named
/// in the panel's title with its weight; one legend of the operations, beside the first node's inputs.
/// </summary>
public static class AlphaPanels
{
    private const int PanelWidth = 300, PanelHeight = 200;

    /// <param name="weights">[epoch][edge][operation], the edges node by node (node n reads n + 2 inputs)</param>
    public static void Png(double[][][] weights, IReadOnlyList<string> primitives, string title, string file)
    {
        // A third column at least: the legend's cell, beside node 0's two inputs.
        int edges = weights[0].Length, nodes = NodesOf(edges), columns = Math.Max(3, nodes + 1);
        double[] epochs = [.. Enumerable.Range(1, weights.Length).Select(e => (double)e)];
        var palette = new ScottPlot.Palettes.Category20();
        var multiplot = new Multiplot();
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        var (node, input) = (0, 0);
        for (int edge = 0; edge < edges; edge++)
        {
            var plot = multiplot.AddPlot();
            double[][] series = [.. Enumerable.Range(0, primitives.Count).Select(op => weights.Select(w => w[edge][op]).ToArray())];
            int leader = Enumerable.Range(0, primitives.Count).MaxBy(op => series[op][^1]);
            for (int op = 0; op < primitives.Count; op++)
            {
                var line = plot.Add.ScatterLine(epochs, series[op], palette.GetColor(op));
                line.LineWidth = op == leader ? 3 : 1;
                line.MarkerSize = epochs.Length == 1 ? 5 : 0;
            }
            plot.Title($"{ExperimentSummary.InputName(input)} → node {node}: {primitives[leader]} {series[leader][^1]:0.000}", size: 11);
            plot.Axes.SetLimitsY(0, Math.Max(0.05, series.Max(s => s.Max())) * 1.08);
            plot.Axes.SetLimitsX(0.8, Math.Max(1.2, epochs.Length + 0.2));
            layout.Set(plot, new GridCell(node, input, nodes, columns));
            if (++input == node + 2) (node, input) = (node + 1, 0);
        }
        // The legend in the first row's free cells: node 0 reads two inputs.
        var legend = multiplot.AddPlot();
        legend.Layout.Frameless();
        legend.HideGrid();
        legend.Title(title, size: 12);
        for (int op = 0; op < primitives.Count; op++)
            legend.Legend.ManualItems.Add(new LegendItem { LabelText = primitives[op], LineColor = palette.GetColor(op), LineWidth = 3 });
        legend.ShowLegend(Alignment.MiddleCenter);
        layout.Set(legend, new GridCell(0, 2, nodes, columns));
        multiplot.Layout = layout;
        multiplot.SavePng(file, PanelWidth * columns, PanelHeight * nodes);
        // The multiplot holds the plots' native drawing resources without owning them.
        for (int i = 0; i < multiplot.Count(); i++) multiplot.GetPlot(i).Dispose();
    }

    /// <summary>Nodes of a cell with this many edges: 2 + 3 + … + (n + 1).</summary>
    private static int NodesOf(int edges)
    {
        int nodes = 0;
        for (int counted = 0; counted < edges; counted += nodes + 2) nodes++;
        return nodes;
    }
}
