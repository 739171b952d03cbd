namespace VideoNas.Nas.Numerics;

/// <summary>One module checked in float32 against float64 on the same weights, input and output gradient.</summary>
/// <param name="Build">Makes the module in float32; it is re-initialised from a fixed seed.</param>
/// <param name="InputShape">The float input the module takes.</param>
public sealed record KernelCheck(string Name, Func<nn.Module<Tensor, Tensor>> Build, long[] InputShape);

/// <summary>How one check went: the worst relative error over the output and every gradient, and where it was.</summary>
public sealed record KernelCheckResult(string Name, bool Passed, double WorstError, string WorstTensor, string? Problem)
{
    /// <summary>One line for a person: what failed and by how much.</summary>
    public string Describe() => Passed
        ? $"{Name}: ok (worst relative error {WorstError:0.0e+0} in {WorstTensor})"
        : $"{Name}: FAILED, {Problem}";
}

/// <summary>
/// Runs a <see cref="KernelCheck"/>. The loss is Σ y·g for a fixed random g, so every element of the
/// output and of each gradient is exercised. float64 never goes through oneDNN's float32 kernels, so it is
/// the reference. The float32 pass runs twice: the second reuses memory the first freed, which is where a
/// kernel that reads memory it never wrote shows itself. A ReLU or max-pool input within float32 rounding
/// of its kink takes the other branch in one of the passes, which moves a whole region of the gradients with
/// correct kernels (seen in a strided R3D block on every route); that needs the data to fall just so, a
/// wrong kernel does not, so a failing check passes only if two more draws of data both pass.
/// </summary>
public static class KernelCheckRunner
{
    /// <summary>
    /// The largest error a correct kernel shows here is about 1e-5 (float32 sums of up to a few thousand
    /// terms, through normalisation); a wrong kernel is off by far more, and NaN fails any bound.
    /// </summary>
    public const double DefaultTolerance = 1e-3;

    public static KernelCheckResult Run(KernelCheck check, double tolerance = DefaultTolerance)
    {
        try
        {
            var first = Compare(check, tolerance, seed: 11);
            if (first.Passed) return first;
            var retries = new[] { 12, 13 }.Select(seed => Compare(check, tolerance, seed)).ToList();
            return retries.All(r => r.Passed) ? retries.MaxBy(r => r.WorstError)! : first;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new KernelCheckResult(check.Name, false, double.PositiveInfinity, "-", $"threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static KernelCheckResult Compare(KernelCheck check, double tolerance, long seed)
    {
        using var scope = NewDisposeScope();
        using var module = check.Build();
        SeededInit.Apply(module, seed);
        module.train();
        using var generator = new Generator((ulong)seed);
        var x64 = randn(check.InputShape, ScalarType.Float64, generator: generator);
        Tensor? g64 = null;
        var runs = new List<Tensor[]>();
        for (int run = 0; run < 2; run++)
        {
            var (output, grads) = ForwardBackward(module, x64.to(ScalarType.Float32), ref g64, generator);
            runs.Add([output, .. grads]);
        }
        module.to(ScalarType.Float64);
        var (refOutput, refGrads) = ForwardBackward(module, x64, ref g64, generator);
        Tensor[] reference = [refOutput, .. refGrads];
        var names = new[] { "output", "input gradient" }.Concat(module.named_parameters().Select(p => $"gradient of {p.name}")).ToArray();

        double worst = 0;
        string worstName = names[0];
        foreach (var run in runs)
            for (int i = 0; i < reference.Length; i++)
            {
                double error = RelativeError(run[i], reference[i]);
                if (error > worst || double.IsNaN(error)) (worst, worstName) = (double.IsNaN(error) ? double.PositiveInfinity : error, names[i]);
                if (double.IsPositiveInfinity(worst)) break;
            }
        bool passed = worst <= tolerance;
        string? problem = passed ? null
            : double.IsPositiveInfinity(worst) ? $"{worstName} has NaN or Inf in float32 but not in float64"
            : $"{worstName} differs from float64 by {worst:0.0e+0} relative (a correct kernel stays below {tolerance:0e+0})";
        return new KernelCheckResult(check.Name, passed, worst, worstName, problem);
    }

    /// <summary>The output and the gradients of Σ y·g with respect to the input and every parameter, as float64.</summary>
    private static (Tensor Output, Tensor[] Grads) ForwardBackward(nn.Module<Tensor, Tensor> module, Tensor input, ref Tensor? g64, Generator generator)
    {
        var x = input.detach().requires_grad_(true);
        var y = module.call(x);
        g64 ??= randn(y.shape, ScalarType.Float64, generator: generator);
        var loss = (y * g64.to(y.dtype)).sum();
        var inputs = new List<Tensor> { x };
        inputs.AddRange(module.parameters());
        var grads = autograd.grad([loss], inputs, allow_unused: true);
        return (y.detach().to(ScalarType.Float64), inputs.Select((t, i) => (grads[i] ?? zeros_like(t)).detach().to(ScalarType.Float64)).ToArray());
    }

    /// <summary>max |a − b| / max |b|; +∞ when <paramref name="actual"/> is not finite.</summary>
    public static double RelativeError(Tensor actual, Tensor reference)
    {
        if (!actual.isfinite().all().item<bool>()) return double.PositiveInfinity;
        double diff = actual.sub(reference).abs().max().item<double>();
        double scale = reference.abs().max().item<double>();
        return diff == 0 ? 0 : diff / Math.Max(scale, 1e-30);
    }
}
