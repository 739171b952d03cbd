using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Models;

/// <summary>
/// Pseudo-3D ResNet (Qiu et al. 2017): ResNet-50 bottlenecks [3, 4, 6, 3] whose 3×3 convolution becomes a
/// P3D unit, cycling A (serial), B (parallel) and C (serial + residual) block by block, with a width multiplier.
/// The paper's P3D-199 uses the ResNet-152 depth; this keeps the same blocks at a CPU-friendly depth.
/// </summary>
public sealed class P3dResNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly nn.Module<Tensor, Tensor> fc;

    public P3dResNet(int classes, double width = 1.0) : base(nameof(P3dResNet))
    {
        long W(long c) => Layers.Width(c, width);
        stem = nn.Sequential(
            Layers.Conv3d(3, W(64), (1, 7, 7), (1, 2, 2), (0, 3, 3)), Layers.BatchNorm3d(W(64)), nn.ReLU(),
            new ChannelsLastMaxPool([1, 3, 3], [1, 2, 2], [0, 1, 1]));
        var blocks = new List<nn.Module<Tensor, Tensor>>();
        long inplanes = W(64);
        int index = 0;
        foreach (var (planes, count, stride) in new[] { (W(64), 3, 1), (W(128), 4, 2), (W(256), 6, 2), (W(512), 3, 2) })
            for (int b = 0; b < count; b++)
            {
                var variant = (P3dVariant)(index++ % 3);
                blocks.Add(new Bottleneck(variant, inplanes, planes, b == 0 ? stride : 1));
                inplanes = planes * 4;
            }
        layers = nn.Sequential(blocks);
        fc = Layers.Linear(inplanes, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = layers.call(stem.call(x));
        return Layers.PoolAndClassify(features, fc).MoveToOuterDisposeScope();
    }

    internal sealed class Bottleneck : nn.Module<Tensor, Tensor>
    {
        private readonly P3dVariant _variant;
        private readonly nn.Module<Tensor, Tensor> reduce;
        private readonly nn.Module<Tensor, Tensor> spatial;
        private readonly nn.Module<Tensor, Tensor> temporal;
        private readonly nn.Module<Tensor, Tensor> expand;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public Bottleneck(P3dVariant variant, long inplanes, long planes, int stride) : base($"P3d{variant}Bottleneck")
        {
            _variant = variant;
            reduce = nn.Sequential(Layers.Conv3d(inplanes, planes, (1, 1, 1)), Layers.BatchNorm3d(planes), nn.ReLU());
            spatial = nn.Sequential(Layers.Conv3d(planes, planes, (1, 3, 3), (1, stride, stride), (0, 1, 1)), Layers.BatchNorm3d(planes));
            // In B the temporal branch sees the block input, so it must stride like the spatial one.
            var temporalStride = variant == P3dVariant.B ? (1L, stride, stride) : (1L, 1L, 1L);
            temporal = nn.Sequential(Layers.Conv3d(planes, planes, (3, 1, 1), temporalStride, (1, 0, 0)), Layers.BatchNorm3d(planes));
            expand = nn.Sequential(Layers.Conv3d(planes, planes * 4, (1, 1, 1)), Layers.BatchNorm3d(planes * 4));
            if (stride != 1 || inplanes != planes * 4)
                downsample = nn.Sequential(Layers.Conv3d(inplanes, planes * 4, (1, 1, 1), (1, stride, stride)), Layers.BatchNorm3d(planes * 4));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var r = reduce.call(x);
            var s = spatial.call(r);
            var mid = _variant switch
            {
                P3dVariant.A => temporal.call(nn.functional.relu(s)),
                P3dVariant.B => nn.functional.relu(s).Plus(nn.functional.relu(temporal.call(r))),
                _ => s.Plus(temporal.call(nn.functional.relu(s))),
            };
            var output = expand.call(nn.functional.relu(mid));
            return nn.functional.relu(output.Plus(downsample?.call(x) ?? x)).MoveToOuterDisposeScope();
        }
    }
}
