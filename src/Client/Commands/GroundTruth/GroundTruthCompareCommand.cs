using VideoNas.Core.GroundTruth;
using VideoNas.Core.Reporting;

namespace VideoNas.Client.Commands.GroundTruth;

/// <summary><c>groundtruth compare</c>: a selection method's trained picks placed in a table, by issue 25's bar.</summary>
public static class GroundTruthCompareCommand
{
    public static Command Create()
    {
        var table = GroundTruthInputs.TableOption();
        var picks = new Option<string[]>("--picks")
        {
            Description = "one folder per pick (a search seed's selected genotype), holding a `videonas train` output per training seed (seed-*/result.json)",
            Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "DIR",
        };
        var name = new Option<string>("--name") { Description = "the selection method, for the report", DefaultValueFactory = _ => "searched", HelpName = "TEXT" };
        var cost = new Option<double?>("--cost-minutes")
        {
            Description = "one pick's search and selection time, in the units of the table's training times (same threads): adds the random search of equal compute, the expected best of as many random architectures as that time trains",
            HelpName = "MIN",
        };
        var json = CliOptions.Json("print the comparison as JSON");
        var command = new Command("compare", """
            Places a selection method's picks in a ground-truth table: does the search beat random?

            Each --picks folder is one search seed's selected genotype trained from scratch under the table's training
            config, once per training seed (seed-0/result.json, seed-1/result.json, ...: what docs/experiments/selection.sh
            writes). Prints each pick's video accuracy and percentile among the table's architectures, the picks' mean
            against the table's mean with the spread of the difference, and whether the method meets the bar: more
            than twice the spread above the random mean, and the picks in the table's top 20 % on average. With
            --cost-minutes it also prints what a random search of the same compute is expected to find.

            Example:
              videonas groundtruth compare --table docs/results/groundtruth-p3d-mid --picks sel/train/s0 sel/train/s1 sel/train/s2 --name evolution --cost-minutes 45
            """) { table, picks, name, cost, json };
        command.SetAction(r =>
        {
            var groundTruth = GroundTruthInputs.Table(r.GetValue(table)!);
            var trained = r.GetValue(picks)!.Select(Pick).ToList();
            if (r.GetValue(cost) is { } minutes && !(minutes > 0 && double.IsFinite(minutes)))
                throw new UsageException($"--cost-minutes {minutes}: must be a positive number of minutes");
            var comparison = new PicksAgainstTable(r.GetValue(name)!, groundTruth, trained, r.GetValue(cost));
            Console.Write(r.GetValue(json) ? comparison.ToJson() : comparison.ToMarkdown());
            return 0;
        });
        return command;
    }

    private static TrainedPick Pick(string dir)
    {
        if (!Directory.Exists(dir)) throw new UsageException($"--picks {dir}: no such folder");
        var runs = Directory.GetDirectories(dir, "seed-*").Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, ComparisonReport.ResultFileName))).ToList();
        if (runs.Count == 0) throw new UsageException($"--picks {dir}: no seed-*/{ComparisonReport.ResultFileName} (train the pick first)");
        return new TrainedPick(Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)), runs.Select(d => ComparisonReport.ReadResult(d).VideoAccuracy).ToList());
    }
}
