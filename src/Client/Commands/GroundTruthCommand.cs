using VideoNas.Client.Commands.GroundTruth;
using VideoNas.Core.GroundTruth;

namespace VideoNas.Client.Commands;

/// <summary><c>groundtruth</c>: the table of trained random architectures that searches are placed in.</summary>
public static class GroundTruthCommand
{
    public static Command Create()
    {
        var table = GroundTruthInputs.TableOption("a table.json, or the folder that holds it");
        var json = CliOptions.Json("print table.json instead of the ranked table");
        var show = new Command("show", "Prints a ground-truth table ranked by video accuracy, with the benchmark's spreads.") { table, json };
        show.SetAction(r =>
        {
            var t = GroundTruthInputs.Table(r.GetValue(table)!);
            Console.Write(r.GetValue(json) ? t.ToJson() : t.ToMarkdown());
            return 0;
        });
        return new Command("groundtruth", """
            A ground-truth table: random architectures of a search space trained from scratch, the small NAS-Bench that
            searched genotypes are ranked in (their percentile) and that supernets and proxies are scored against
            (Kendall τ, Spearman ρ).
            """) { GroundTruthBuildCommand.Create(), GroundTruthProxiesCommand.Create(), GroundTruthOneShotCommand.Create(), GroundTruthCompareCommand.Create(), show };
    }
}
