using TorchSharp;
using static TorchSharp.torch;

namespace VideoNas.Nas.Models;

/// <summary>
/// Convolution and linear layers that report their multiply-accumulates to <see cref="MacCounter"/>,
/// so every model (baselines, derived networks, the supernet) is measured the same way.
/// </summary>
public static class Layers
{
    public static nn.Module<Tensor, Tensor> Conv3d(long cIn, long cOut, (long, long, long) kernel,
        (long, long, long)? stride = null, (long, long, long)? padding = null, (long, long, long)? dilation = null,
        long groups = 1, bool bias = false) =>
        new Conv3dLayer(nn.Conv3d(cIn, cOut, kernel, stride: stride ?? (1, 1, 1), padding: padding ?? (0, 0, 0),
            dilation: dilation ?? (1, 1, 1), groups: groups, bias: bias), cIn / groups * kernel.Item1 * kernel.Item2 * kernel.Item3);

    public static nn.Module<Tensor, Tensor> Linear(long cIn, long cOut) => new LinearLayer(nn.Linear(cIn, cOut), cIn);

    /// <summary>The usual head: global average pooling over time and space, then the classifier.</summary>
    public static Tensor PoolAndClassify(Tensor features, nn.Module<Tensor, Tensor> classifier)
    {
        using var pooled = nn.functional.adaptive_avg_pool3d(features, [1, 1, 1]);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    /// <summary>Channels scaled by a width multiplier, at least 1.</summary>
    public static long Width(long channels, double width) => Math.Max(1, (long)Math.Round(channels * width));

    private sealed class Conv3dLayer : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv;
        private readonly long _macsPerOutput;

        public Conv3dLayer(nn.Module<Tensor, Tensor> conv, long macsPerOutput) : base("Conv3d")
        {
            this.conv = conv;
            _macsPerOutput = macsPerOutput;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = conv.call(x);
            MacCounter.Add(y.numel() * _macsPerOutput);
            return y;
        }
    }

    private sealed class LinearLayer : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> linear;
        private readonly long _in;

        public LinearLayer(nn.Module<Tensor, Tensor> linear, long cIn) : base("Linear")
        {
            this.linear = linear;
            _in = cIn;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = linear.call(x);
            MacCounter.Add(y.numel() * _in);
            return y;
        }
    }
}
