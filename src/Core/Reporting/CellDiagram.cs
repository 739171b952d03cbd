using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using VideoNas.Core.Experiments;
using VideoNas.Core.Search;

namespace VideoNas.Core.Reporting;

/// <summary>
/// A derived cell as a graphviz graph, drawn as DARTS' visualize.py draws it: the two cell inputs, the
/// intermediate nodes, each kept edge labelled with its operation, and the concatenated output.
/// </summary>
public static class CellDiagram
{
    public static string Dot(Genotype genotype, string cell)
    {
        var (edges, concat) = cell == "reduce" ? (genotype.Reduce, genotype.ReduceConcat) : (genotype.Normal, genotype.NormalConcat);
        var dot = new StringBuilder();
        dot.AppendLine(CultureInfo.InvariantCulture, $"digraph {cell} {{");
        dot.AppendLine("  rankdir=LR; node [style=\"rounded,filled\", shape=rect, fontname=\"DejaVu Sans\"]; edge [fontname=\"DejaVu Sans\", fontsize=11];");
        dot.AppendLine("  \"c_{k-2}\" [fillcolor=darkseagreen2]; \"c_{k-1}\" [fillcolor=darkseagreen2]; \"c_{k}\" [fillcolor=palegoldenrod];");
        for (int node = 0; node < edges.Count / 2; node++) dot.AppendLine(CultureInfo.InvariantCulture, $"  \"{node}\" [fillcolor=lightblue];");
        for (int i = 0; i < edges.Count; i++)
            dot.AppendLine(CultureInfo.InvariantCulture, $"  \"{Name(edges[i].Input)}\" -> \"{i / 2}\" [label=\"{edges[i].Op}\"];");
        foreach (int output in concat) dot.AppendLine(CultureInfo.InvariantCulture, $"  \"{Name(output)}\" -> \"c_{{k}}\" [color=gray];");
        dot.AppendLine("}");
        return dot.ToString();
    }

    /// <summary>Writes <c>NAME.dot</c> and, where graphviz is installed, <c>NAME.png</c>; returns whether the PNG was drawn.</summary>
    public static bool Write(Genotype genotype, string cell, string pathWithoutExtension)
    {
        string dotFile = pathWithoutExtension + ".dot", pngFile = pathWithoutExtension + ".png";
        DurableFile.Replace(dotFile, Dot(genotype, cell));
        var info = new ProcessStartInfo("dot", ["-Tpng", dotFile, "-o", pngFile]) { RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var process = Process.Start(info)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new IOException($"{dotFile}: graphviz dot failed ({process.ExitCode}): {errors.Trim()}");
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static string Name(int input) => input < 2 ? ExperimentSummary.InputName(input) : (input - 2).ToString(CultureInfo.InvariantCulture);
}
