using System.Globalization;
using System.Text.Json.Nodes;
using VideoNas.Nas.Models;
using static TorchSharp.torch;

namespace VideoNas.Client.Commands;

public static class ModelCommand
{
    public const string Help = """
        videonas model info (--model c3d|p3d|r2plus1d18|r3d18 | --genotype FILE) [--classes N] [--width W]
                            [--channels C] [--layers L] [--frames F] [--resolution R] [--json]

        Prints the parameter count and the FLOPs of one clip of F frames at R×R (default 16×112×112, the
        standard clip of the manual baselines). FLOPs count one multiply-accumulate of every convolution
        and linear layer as one FLOP, the convention of fvcore and torchvision's model tables.

          --classes N    classifier outputs (default 101, UCF101)
          --width W      channel multiplier of a baseline (default 1, the published width)
          --channels C, --layers L   initial channels and cells of a derived network (default 16, 8)
          --json         {"model": ..., "params": N, "flops": N, "input": [3, F, R, R]}
        """;

    public static int Run(CliArgs args)
    {
        if (args.Help || args.Positionals.Count == 0 || args.Positionals[0] != "info")
        {
            Console.WriteLine(Help);
            return args.Help ? 0 : 2;
        }
        var choice = ModelChoice.Read(args);
        int classes = args.GetInt("classes", 101);
        double width = args.GetDouble("width", 1.0);
        int channels = args.GetInt("channels", 16), layers = args.GetInt("layers", 8);
        int frames = args.GetInt("frames", 16), resolution = args.GetInt("resolution", 112);
        bool json = args.Flag("json");
        args.RejectUnknown();

        using var model = choice.CreateBackbone(classes, width, channels, layers, auxiliary: false);
        long parameters = ModelZoo.ParameterCount(model);
        using var clip = zeros([1, 3, frames, resolution, resolution]);
        long flops = MacCounter.Measure(model, clip);
        if (json)
        {
            Console.WriteLine(new JsonObject
            {
                ["model"] = choice.Name, ["params"] = parameters, ["flops"] = flops,
                ["input"] = new JsonArray(3, frames, resolution, resolution),
            }.ToJsonString());
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(c, "{0}: {1:N0} parameters ({2:F2} M), {3:F3} GFLOPs per {4}×{5}×{5} clip",
                choice.Name, parameters, parameters / 1e6, flops / 1e9, frames, resolution));
        }
        return 0;
    }
}
