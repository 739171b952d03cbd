namespace VideoNas.Nas;

/// <summary>
/// Re-initialises a module's parameters from a private generator, so a network is a function of its
/// seed alone. Module constructors draw from libtorch's process-wide generator, which every other
/// thread (another trial, another test) also draws from. The distributions are PyTorch's defaults:
/// convolution and linear weights and their biases U(−1/√fan_in, 1/√fan_in); 1-D weights (BatchNorm)
/// stay 1 and their biases 0; architecture weights (alphas_*, betas_*) 10⁻³·N(0, 1), as in DARTS.
/// </summary>
public static class SeededInit
{
    public static void Apply(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string leaf = name[(name.LastIndexOf('.') + 1)..];
            if (leaf.StartsWith("alphas_", StringComparison.Ordinal) || leaf.StartsWith("betas_", StringComparison.Ordinal))
            {
                using var draw = randn(p.shape, p.dtype, generator: generator);
                p.copy_(draw.TimesInPlace(1e-3));
                continue;
            }
            var weight = leaf == "bias" && parameters.TryGetValue(name[..^"bias".Length] + "weight", out var w) ? w : p;
            if (weight.dim() < 2) continue;
            double bound = 1 / Math.Sqrt(weight.numel() / weight.shape[0]);
            using var uniform = rand(p.shape, p.dtype, generator: generator);
            p.copy_(uniform.TimesInPlace(2 * bound).PlusInPlace(-bound));
        }
    }
}
