using VideoNas.Core.Reporting;
using VideoNas.Core.Search;

namespace VideoNas.Client.Commands;

public static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("RUN") { Description = "`videonas train` output folders (each with a result.json)", Arity = ArgumentArity.OneOrMore };
        var outDir = CliOptions.Out("where report.md and the plot go (default ./report)");
        var command = new Command("report", """
            Compares trained models: a Markdown table and an accuracy-against-parameters plot.

            Compares trained models: reads each RUN's result.json and writes DIR/report.md (a Markdown table:
            parameters, GFLOPs per clip, clip and video accuracy, and parameters relative to the smallest manual
            baseline) and DIR/accuracy_vs_params.png (one labelled point per model).

            Example: videonas report .videonas/train/* --out docs/results
            """) { runs, outDir };
        command.SetAction(r => Run(r.GetValue(runs)!, Path.GetFullPath(r.GetValue(outDir) ?? "report")));
        return command;
    }

    private static void Run(string[] runs, string outDir)
    {
        var results = runs.Select(ComparisonReport.ReadResult).ToList();
        Directory.CreateDirectory(outDir);
        var baselines = Baselines.Names.Append("r2plus1d").ToHashSet();
        string table = ComparisonReport.Markdown(results, baselines);
        SearchFiles.WriteAtomically(Path.Combine(outDir, "report.md"), table);
        string png = Path.Combine(outDir, "accuracy_vs_params.png");
        AccuracyScatter.Png([.. results.Select(m => new AccuracyPoint(baselines.Contains(m.Model) ? "manual baseline" : "searched or random", m.Model, m.Params, m.VideoAccuracy))],
            "video accuracy against parameters", png);
        Console.Write(table);
        Console.WriteLine($"wrote {Path.Combine(outDir, "report.md")} and {png}");
    }
}
