using VideoNas.Core.Experiments;
using VideoNas.Core.Search;

namespace VideoNas.Core.Reporting;

/// <summary>
/// Writes an experiment's comparison files into its output folder: summary.json, summary.md (with the list of
/// pictures), loss.png and accuracy.png, the α heat maps of each seed, and each seed's normal and reduction cell
/// (graphviz; the .dot files alone where graphviz is missing, which summary.md then says).
/// </summary>
public static class ExperimentReport
{
    public static IReadOnlyList<string> Write(ExperimentSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        var pictures = new List<string>();
        ExperimentPlots.Curves(summary.Runs, folder);
        pictures.AddRange([ExperimentPlots.LossFileName, ExperimentPlots.AccuracyFileName]);
        bool graphviz = true;
        foreach (var run in summary.Runs)
        {
            pictures.AddRange(ExperimentPlots.Alphas(run, folder).Select(Path.GetFileName)!);
            if (run.GenotypeJson is null) continue;
            var genotype = SearchFiles.ParseGenotype(run.GenotypeJson, $"seed {run.Seed}'s genotype");
            foreach (var cell in new[] { "normal", "reduce" })
            {
                string name = $"cell-seed-{run.Seed}-{cell}";
                graphviz &= CellDiagram.Write(genotype, cell, Path.Combine(folder, name));
                pictures.Add(name + (graphviz ? ".png" : ".dot"));
            }
        }
        string markdown = summary.ToMarkdown() + Environment.NewLine + "## Pictures" + Environment.NewLine + Environment.NewLine +
            string.Concat(pictures.Select(p => $"- [{p}]({p})" + Environment.NewLine)) +
            (graphviz ? "" : Environment.NewLine + "graphviz `dot` is not installed here: the cells are written as .dot files only." + Environment.NewLine);
        DurableFile.Replace(Path.Combine(folder, ExperimentSummary.JsonFileName), summary.ToJson());
        DurableFile.Replace(Path.Combine(folder, ExperimentSummary.MarkdownFileName), markdown);
        return pictures;
    }
}
