using VideoNas.Client.Cli;
using VideoNas.Core.Search;

namespace VideoNas.Client.Commands;

public static class GenotypeCommand
{
    public static Command Create()
    {
        var alphas = new Option<string>("--alphas") { Description = "an alphas.json (raw architecture weights, as a search writes it)", Required = true, HelpName = "FILE" };
        var derive = new Command("derive", """
            Prints the genotype an alphas.json derives.

            Prints the genotype derived from an alphas.json as JSON on stdout. The rule is DARTS': softmax per
            edge; each node keeps its 2 incoming edges with the largest non-"none" weight; each kept edge takes
            its argmax op excluding "none". Ties go to the lower index. Works for any primitive list and any
            number of steps.

            Example: videonas genotype derive --alphas .videonas/runs/demo-1/alphas.json > genotype.json
            """) { alphas };
        derive.SetAction(r =>
        {
            string path = r.GetValue(alphas)!;
            var weights = SearchFiles.ReadAlphas(path);
            // An operation VideoNas cannot build would pass here and fail in every later command.
            Primitives.Parse(string.Join(",", weights.Primitives), $"{path}: \"primitives\"");
            Console.WriteLine(SearchFiles.ToJson(GenotypeDeriver.Derive(weights)));
        });
        return new Command("genotype", "Genotypes: derive one from α, select one from a trained supernet, or draw one at random from a search space.")
        {
            derive, GenotypeSelectCommand.Create(), Random(),
        };
    }

    private static Command Random()
    {
        var primitives = new Option<string>("--primitives")
        {
            Description = $"the search space: {string.Join(", ", Primitives.Spaces.Keys)}, or a comma-separated list of operations", DefaultValueFactory = _ => "p3d", HelpName = "SPACE",
        };
        var steps = CliOptions.Number("--steps", 4, "intermediate nodes per cell").InRange(1, 16);
        var seed = CliOptions.Number("--seed", 0, "the draw; the same seed gives the same genotype", "S");
        var output = new Option<string?>("--out") { Description = "write genotype.json here (default: stdout)", HelpName = "FILE" };
        var command = new Command("random", """
            Writes a genotype drawn uniformly at random from a search space: the baseline a search must beat.

            Draws a genotype uniformly from those the DARTS derivation rule can produce for the space: every
            intermediate node keeps two distinct inputs out of the cell's two inputs and the nodes before it,
            each with an operation other than none, drawn uniformly; every node is concatenated. Train it with
            `videonas train --genotype FILE` under the same config as a searched genotype (Li and Talwalkar 2019;
            Yang et al. 2020 ask every NAS result to be compared with such architectures).

            Example: videonas genotype random --primitives paper --steps 3 --seed 7 --out random-7.json
            """) { primitives, steps, seed, output };
        command.SetAction(r =>
        {
            var space = CliOptions.AsUsage(() => Primitives.Parse(r.GetValue(primitives)!, "--primitives"));
            string json = SearchFiles.ToJson(RandomGenotype.Sample(space, r.GetValue(steps), r.GetValue(seed)));
            if (r.GetValue(output) is { } file) SearchFiles.WriteAtomically(file, json + "\n");
            else Console.WriteLine(json);
        });
        return command;
    }
}
