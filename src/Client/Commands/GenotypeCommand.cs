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
        derive.SetAction(r => Console.WriteLine(SearchFiles.ToJson(GenotypeDeriver.Derive(SearchFiles.ReadAlphas(r.GetValue(alphas)!)))));
        return new Command("genotype", "Genotypes: derive one from α.") { derive };
    }
}
