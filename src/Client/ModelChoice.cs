using Microsoft.Extensions.Logging;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Training;
using VideoNas.Nas;
using VideoNas.Nas.Derived;
using VideoNas.Nas.Models;
using VideoNas.Nas.Training;
using static TorchSharp.torch;

namespace VideoNas.Client;

/// <summary>The network a command works on: a manual baseline (--model) or a derived genotype (--genotype).</summary>
public sealed record ModelChoice(string Name, string? Baseline, Genotype? Genotype)
{
    /// <summary>--model and --genotype: exactly one of them names the network.</summary>
    public sealed class Options
    {
        public Option<string?> Model { get; } = new("--model") { Description = $"a manual baseline: {string.Join(", ", Baselines.Names)}", HelpName = "NAME" };
        public Option<string?> Genotype { get; } = new("--genotype") { Description = "a derived network: a genotype.json from a search", HelpName = "FILE" };

        public ModelChoice Read(ParseResult r)
        {
            string? model = r.GetValue(Model), genotypePath = r.GetValue(Genotype);
            if ((model is null) == (genotypePath is null))
                throw new UsageException("give exactly one of --model NAME (" + string.Join(", ", Baselines.Names) + ") or --genotype FILE");
            if (model is not null)
            {
                if (!Baselines.IsKnown(model))
                    throw new UsageException($"--model {model}: unknown; known: {string.Join(", ", Baselines.Names)}");
                return new ModelChoice(model, model, null);
            }
            return new ModelChoice(Path.GetFileNameWithoutExtension(genotypePath!) is var n && n == "genotype"
                ? $"searched ({Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(genotypePath!)))})" : n,
                null, SearchFiles.RequireBuildable(SearchFiles.ReadGenotype(genotypePath!), genotypePath!));
        }
    }

    /// <summary>
    /// Builds the network of <paramref name="config"/>'s shape (a baseline's width; a derived network's channels, cells,
    /// stem and auxiliary head), with its initial weights drawn from the config's seed.
    /// </summary>
    public nn.Module<Tensor, Tensor> CreateBackbone(int classes, TrainConfig config)
    {
        var model = Baseline is not null
            ? ModelZoo.CreateBackbone(Baseline, classes, config.Width)
            : new DerivedNetwork(Genotype!, classes, config.Channels, config.Layers, config.AuxiliaryWeight > 0, seed: config.Seed,
                stemTemporalKernel: config.StemTemporalKernel, stemMultiplier: config.StemMultiplier);
        SeededInit.Apply(model, config.Seed);
        return model;
    }

    /// <summary>The one from-scratch training of train, evaluate and groundtruth: the network seeded with the config's seed.</summary>
    public TrainResult TrainFromScratch(TrainConfig config, VideoDataset dataset, Action<EpochReport>? progress = null, ILogger? logger = null)
    {
        var backbone = CreateBackbone(dataset.Classes.Count, config);
        return new ScratchTrainer(config, dataset, logger).Train(Name, backbone, progress);
    }
}
