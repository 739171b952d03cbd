using VideoNas.Core.Search;

namespace VideoNas.Client.Commands;

public static class GenotypeCommand
{
    public const string Help = """
        videonas genotype derive --alphas FILE

        Prints the genotype derived from an alphas.json (raw architecture weights) as JSON on stdout.
        The rule is DARTS': softmax per edge; each node keeps its 2 incoming edges with the largest
        non-"none" weight; each kept edge takes its argmax op excluding "none". Ties go to the lower
        index. Works for any primitive list and any number of steps.

        Example:
          videonas genotype derive --alphas .videonas/runs/demo-1/alphas.json > genotype.json
        """;

    public static int Run(CliArgs args)
    {
        if (args.Help || args.Positionals.Count == 0 || args.Positionals[0] != "derive")
        {
            Console.WriteLine(Help);
            return args.Help ? 0 : 2;
        }
        string path = args.Require("alphas");
        args.RejectUnknown();
        Console.WriteLine(SearchFiles.ToJson(GenotypeDeriver.Derive(SearchFiles.ReadAlphas(path))));
        return 0;
    }
}
