using TorchSharp.Modules;

namespace VideoNas.Nas.Supernet;

/// <summary>
/// Normalisation over each clip's own C×T×H×W (a one-group GroupNorm), with optional per-channel scale
/// and shift. Written out rather than taken from <c>nn.GroupNorm</c>: in TorchSharp 0.107 that module
/// with <c>affine: false</c> gave run-to-run different outputs on the same input.
/// </summary>
public sealed class SampleNorm : nn.Module<Tensor, Tensor>
{
    private const double Epsilon = 1e-5;
    private readonly Parameter? weight;
    private readonly Parameter? bias;

    public SampleNorm(long channels, bool affine) : base(nameof(SampleNorm))
    {
        if (affine)
        {
            weight = new Parameter(ones(channels));
            bias = new Parameter(zeros(channels));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long[] dims = [.. Enumerable.Range(1, (int)x.dim() - 1).Select(d => (long)d)];
        var (variance, mean) = var_mean(x, dims, unbiased: false, keepdim: true);
        var y = x.sub(mean).div(variance.Plus(Epsilon).sqrt());
        if (weight is not null && bias is not null)
        {
            long[] perChannel = [1, -1, .. Enumerable.Repeat(1L, (int)x.dim() - 2)];
            y = y.mul(weight.view(perChannel)).Plus(bias.view(perChannel));
        }
        return y.MoveToOuterDisposeScope();
    }
}
