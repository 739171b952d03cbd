using VideoNas.Core.Search;

namespace VideoNas.Nas.Models;

/// <summary>The manual baselines by name, each wrapped in TSN segment consensus like the searched networks.</summary>
public static class ModelZoo
{
    public static IReadOnlyList<string> Names => Baselines.Names;

    public static nn.Module<Tensor, Tensor> CreateBackbone(string name, int classes, double width = 1.0)
    {
        return name switch
        {
            "c3d" => new C3D(classes, width),
            "p3d" => new P3dResNet(classes, width),
            "r2plus1d" or "r2plus1d18" => new VideoResNet(VideoResNetKind.R2Plus1D, classes, width),
            "r3d18" => new VideoResNet(VideoResNetKind.R3D, classes, width),
            _ => throw new ArgumentException($"unknown model \"{name}\"; known: {string.Join(", ", Names)}"),
        };
    }

    public static nn.Module<Tensor, Tensor> Create(string name, int classes, double width = 1.0) =>
        new SegmentConsensus(CreateBackbone(name, classes, width));

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());
}
