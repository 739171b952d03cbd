using VideoNas.Core.Reporting;
using VideoNas.Core.Search;

namespace VideoNas.Client.Commands;

public static class ReportCommand
{
    public const string Help = """
        videonas report RUN... [--out DIR]

        Compares trained models: reads each RUN's result.json (a `videonas train` output folder) and writes
        DIR/report.md (a Markdown table: parameters, GFLOPs per clip, clip and video accuracy, and
        parameters relative to the smallest manual baseline) and DIR/accuracy_vs_params.png (one point per
        model; needs gnuplot). DIR defaults to ./report.

        Example:
          videonas report .videonas/train/* --out docs/results
        """;

    public static int Run(CliArgs args)
    {
        if (args.Help || args.Positionals.Count == 0)
        {
            Console.WriteLine(Help);
            return args.Help ? 0 : 2;
        }
        string outDir = Path.GetFullPath(args.Get("out", "report"));
        args.RejectUnknown();
        var results = args.Positionals.Select(ComparisonReport.ReadResult).ToList();
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
        return 0;
    }
}
