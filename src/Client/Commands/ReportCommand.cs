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
            baseline) and DIR/accuracy_vs_params.png (one point per model; needs gnuplot).

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
        string data = Path.Combine(outDir, "accuracy_vs_params.dat");
        File.WriteAllText(data, ComparisonReport.PlotData(results));
        string png = Path.Combine(outDir, "accuracy_vs_params.png");
        Gnuplot.ScatterPng(data, png, "video accuracy against parameters");
        Console.Write(table);
        Console.WriteLine($"wrote {Path.Combine(outDir, "report.md")} and {png}");
    }
}
