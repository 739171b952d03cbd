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
        new CountedLayer("Conv3d", nn.Conv3d(cIn, cOut, kernel, stride: stride ?? (1, 1, 1), padding: padding ?? (0, 0, 0),
            dilation: dilation ?? (1, 1, 1), groups: groups, bias: bias), cIn / groups * kernel.Item1 * kernel.Item2 * kernel.Item3);

    /// <summary>BatchNorm with running statistics; see <see cref="FunctionalBatchNorm"/> for why not TorchSharp's module.</summary>
    public static nn.Module<Tensor, Tensor> BatchNorm3d(long channels, bool affine = true) => new FunctionalBatchNorm(channels, affine);

    public static nn.Module<Tensor, Tensor> Linear(long cIn, long cOut) => new CountedLayer("Linear", nn.Linear(cIn, cOut), cIn);

    /// <summary>The usual head: global average pooling over time and space, then the classifier.</summary>
    public static Tensor PoolAndClassify(Tensor features, nn.Module<Tensor, Tensor> classifier)
    {
        using var pooled = nn.functional.adaptive_avg_pool3d(features, [1, 1, 1]);
        using var flat = pooled.flatten(1);
        return classifier.call(flat);
    }

    /// <summary>Channels scaled by a width multiplier, at least 1.</summary>
    public static long Width(long channels, double width) => Math.Max(1, (long)Math.Round(channels * width));

    /// <summary>The weight of a convolution built by <see cref="Conv3d"/>.</summary>
    internal static Tensor ConvWeight(nn.Module<Tensor, Tensor> layer) =>
        ((TorchSharp.Modules.Conv3d)((CountedLayer)layer).Inner).weight!;

    /// <summary>Reports a convolution run outside its layer (a fused edge's): every output element costs <paramref name="macsPerOutput"/>.</summary>
    internal static void CountMacs(Tensor output, long macsPerOutput) => MacCounter.Add(output.numel() * macsPerOutput);

    /// <summary>A layer whose every output element costs a fixed number of multiply-accumulates.</summary>
    private sealed class CountedLayer : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;
        private readonly long _macsPerOutput;

        public CountedLayer(string name, nn.Module<Tensor, Tensor> inner, long macsPerOutput) : base(name)
        {
            this.inner = inner;
            _macsPerOutput = macsPerOutput;
            RegisterComponents();
        }

        public nn.Module<Tensor, Tensor> Inner => inner;

        public override Tensor forward(Tensor x)
        {
            var y = inner.call(x);
            CountMacs(y, _macsPerOutput);
            return y;
        }
    }
}
