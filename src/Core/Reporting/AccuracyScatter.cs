using System.Globalization;
using ScottPlot;

namespace VideoNas.Core.Reporting;

/// <summary>One model on the accuracy-against-parameters chart; <see cref="Std"/> (over training seeds) draws an error bar.</summary>
public sealed record AccuracyPoint(string Group, string Label, long Params, double Accuracy, double? Std = null);

/// <summary>
/// Video accuracy against parameters on a log axis, the chart of <c>report</c> and <c>evaluate</c>: one colour per
/// group, every point labelled with its model, ± one std as error bars where known, the legend beside the data so
/// that it covers no point or bar.
/// </summary>
public static class AccuracyScatter
{
    public static void Png(IReadOnlyList<AccuracyPoint> points, string title, string file)
    {
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (group, i) in points.Select(p => p.Group).Distinct().Select((g, i) => (g, i)))
        {
            var members = points.Where(p => p.Group == group).ToList();
            double[] x = [.. members.Select(p => Math.Log10(p.Params))], y = [.. members.Select(p => p.Accuracy * 100)];
            var color = palette.GetColor(i);
            if (members.Any(p => p.Std is not null))
                plot.Add.ErrorBar(x, y, [.. members.Select(p => (p.Std ?? 0) * 100)]).Color = color;
            var dots = plot.Add.ScatterPoints(x, y, color);
            dots.LegendText = group;
            dots.MarkerSize = 9;
            for (int k = 0; k < members.Count; k++)
            {
                // Right of the point, so that the label clears its error bar.
                var label = plot.Add.Text(members[k].Label, x[k], y[k]);
                label.LabelFontSize = 11;
                label.LabelAlignment = Alignment.MiddleLeft;
                label.OffsetX = 8;
            }
        }
        // Room right of the largest model for its label.
        double lo = points.Min(p => Math.Log10(p.Params)), hi = points.Max(p => Math.Log10(p.Params));
        (double left, double right) = (lo - 0.15 - 0.05 * (hi - lo), hi + 0.45 + 0.1 * (hi - lo));
        plot.Axes.Bottom.TickGenerator = DecadeTicks(left, right);
        plot.Axes.SetLimitsX(left, right);
        plot.Axes.SetLimitsY(0, 105);
        plot.Title(title);
        plot.XLabel("parameters (log scale)");
        plot.YLabel("video accuracy (%)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(file, 1000, 600);
    }

    /// <summary>Labels at 10k, 100k, 1M, …, minor ticks at 2–9 × each power: the axis holds log10(parameters).</summary>
    private static ScottPlot.TickGenerators.NumericManual DecadeTicks(double left, double right)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int power = (int)Math.Floor(left); power <= Math.Ceiling(right); power++)
        {
            if (power >= left && power <= right) ticks.AddMajor(power, Count(Math.Pow(10, power)));
            for (int k = 2; k <= 9; k++)
                if (power + Math.Log10(k) is var minor && minor >= left && minor <= right) ticks.AddMinor(minor);
        }
        return ticks;
    }

    private static string Count(double n) => n switch
    {
        >= 1e9 => (n / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (n / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (n / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => n.ToString("0", CultureInfo.InvariantCulture),
    };
}
