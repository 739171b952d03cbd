namespace VideoNas.Nas.Models;

public enum VideoResNetKind
{
    /// <summary>3-D ResNet: full 3×3×3 convolutions (torchvision r3d_18).</summary>
    R3D,
    /// <summary>R(2+1)D: each 3×3×3 factorised into 1×3×3 then 3×1×1 (torchvision r2plus1d_18).</summary>
    R2Plus1D,
}

/// <summary>
/// The 18-layer video ResNets, laid out exactly as torchvision's <c>r3d_18</c> and <c>r2plus1d_18</c>
/// (stems, BasicBlocks [2, 2, 2, 2], downsampling in time and space), with a width multiplier for CPU runs.
/// </summary>
public sealed class VideoResNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly nn.Module<Tensor, Tensor> fc;

    public VideoResNet(VideoResNetKind kind, int classes, double width = 1.0) : base($"VideoResNet{kind}")
    {
        long W(long c) => Layers.Width(c, width);
        stem = kind == VideoResNetKind.R3D
            ? nn.Sequential(Layers.Conv3d(3, W(64), (3, 7, 7), (1, 2, 2), (1, 3, 3)), Layers.BatchNorm3d(W(64)), nn.ReLU())
            : nn.Sequential(
                Layers.Conv3d(3, W(45), (1, 7, 7), (1, 2, 2), (0, 3, 3)), Layers.BatchNorm3d(W(45)), nn.ReLU(),
                Layers.Conv3d(W(45), W(64), (3, 1, 1), (1, 1, 1), (1, 0, 0)), Layers.BatchNorm3d(W(64)), nn.ReLU());
        var blocks = new List<nn.Module<Tensor, Tensor>>();
        long inplanes = W(64);
        foreach (var (planes, stride) in new[] { (W(64), 1), (W(128), 2), (W(256), 2), (W(512), 2) })
        {
            blocks.Add(new BasicBlock(kind, inplanes, planes, stride));
            blocks.Add(new BasicBlock(kind, planes, planes, 1));
            inplanes = planes;
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

    internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1;
        private readonly nn.Module<Tensor, Tensor> conv2;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public BasicBlock(VideoResNetKind kind, long inplanes, long planes, int stride) : base(nameof(BasicBlock))
        {
            // torchvision sizes the (2+1)D middle so the factorised pair has about the 3×3×3 parameter count.
            long mid = inplanes * planes * 27 / (inplanes * 9 + 3 * planes);
            conv1 = nn.Sequential(Conv(kind, inplanes, planes, mid, stride), Layers.BatchNorm3d(planes), nn.ReLU());
            conv2 = nn.Sequential(Conv(kind, planes, planes, mid, 1), Layers.BatchNorm3d(planes));
            if (stride != 1 || inplanes != planes)
                downsample = nn.Sequential(Layers.Conv3d(inplanes, planes, (1, 1, 1), (stride, stride, stride)), Layers.BatchNorm3d(planes));
            RegisterComponents();
        }

        private static nn.Module<Tensor, Tensor> Conv(VideoResNetKind kind, long cIn, long cOut, long mid, int s) => kind == VideoResNetKind.R3D
            ? Layers.Conv3d(cIn, cOut, (3, 3, 3), (s, s, s), (1, 1, 1))
            : nn.Sequential(
                Layers.Conv3d(cIn, mid, (1, 3, 3), (1, s, s), (0, 1, 1)), Layers.BatchNorm3d(mid), nn.ReLU(),
                Layers.Conv3d(mid, cOut, (3, 1, 1), (s, 1, 1), (1, 0, 0)));

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var residual = downsample?.call(x) ?? x;
            return nn.functional.relu(conv2.call(conv1.call(x)).Plus(residual)).MoveToOuterDisposeScope();
        }
    }
}
