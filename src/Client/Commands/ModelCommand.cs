using System.Globalization;
using System.Text.Json.Nodes;
using VideoNas.Core.Training;
using VideoNas.Nas.Models;
using static TorchSharp.torch;

namespace VideoNas.Client.Commands;

public static class ModelCommand
{
    public static Command Create()
    {
        var choice = new ModelChoice.Options();
        // Ranges a CPU can build and measure: a wider net (--width 1e9) would not fit in memory.
        var classes = CliOptions.Number("--classes", 101, "classifier outputs (UCF101)").InRange(2, 100_000);
        var width = new Option<double>("--width") { Description = "channel multiplier of a baseline (1: the published width)", DefaultValueFactory = _ => 1.0, HelpName = "W" }
            .InRange(0.01, 8);
        var channels = CliOptions.Number("--channels", 16, "initial channels of a derived network", "C").InRange(2, 512);
        var layers = CliOptions.Number("--layers", 8, "cells of a derived network", "L").InRange(1, 64);
        var frames = CliOptions.Number("--frames", 16, "frames of the clip measured", "F").InRange(1, 512);
        var resolution = CliOptions.Number("--resolution", 112, "height and width of the clip measured", "R").InRange(16, 1024);
        var json = CliOptions.Json("{\"model\": …, \"params\": N, \"flops\": N, \"input\": [3, F, R, R]}");
        var info = new Command("info", """
            Parameters and FLOPs per clip of a baseline or a genotype.

            Prints the parameter count and the FLOPs of one clip of F frames at R×R (default 16×112×112, the
            standard clip of the manual baselines). FLOPs count one multiply-accumulate of every convolution
            and linear layer as one FLOP, the convention of fvcore and torchvision's model tables.
            """) { choice.Model, choice.Genotype, classes, width, channels, layers, frames, resolution, json };
        info.SetAction(r => Info(choice.Read(r), r.GetValue(classes), r.GetValue(width), r.GetValue(channels), r.GetValue(layers),
            r.GetValue(frames), r.GetValue(resolution), r.GetValue(json)));
        return new Command("model", "Networks: their size and cost.") { info };
    }

    private static void Info(ModelChoice choice, int classes, double width, int channels, int layers, int frames, int resolution, bool json)
    {
        using var model = choice.CreateBackbone(classes, new TrainConfig { Width = width, Channels = channels, Layers = layers });
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
            return;
        }
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} parameters ({2:F2} M), {3:F3} GFLOPs per {4}×{5}×{5} clip",
            choice.Name, parameters, parameters / 1e6, flops / 1e9, frames, resolution));
    }
}
