using VideoNas.Nas.Search;

namespace VideoNas.Tests;

public class SecondOrderTests
{
    // Smooth primitives only (no max pool), float64, and a large η so the second-order term is big.
    // The Hessian step is far below DARTS' 0.01: along v = ∇w′L_val this tiny network's α-gradient is
    // sharply curved (BatchNorm over near-constant channels), and the central difference matched the
    // exact double-backward product (2.4585e-2) only at 1e-6; at 1e-4 it gave −0.92, at 1e-2 −0.34.
    private static readonly SearchConfig Tiny = new()
    {
        Primitives = ["none", "skip_connect", "conv_3x1x1", "avg_pool_1x3x3", "p3d_b_3"],
        InitChannels = 4, Layers = 3, Steps = 2, StemMultiplier = 1, Segments = 1, FramesPerSegment = 3, Resolution = 12,
        BatchSize = 4, Epochs = 1, WeightLr = 0.1, WeightLrMin = 0.1, Seed = 3, HessianStep = 1e-6,
    };

    [Fact]
    public void SecondOrderAlphaGradientMatchesFiniteDifferencesOfTheUnrolledLoss()
    {
        using var search = new BilevelSearch(Tiny, classes: 3, dtype: ScalarType.Float64);
        using var inputs = new Generator(17);
        using var train = new ClipBatch(randn([4, 1, 3, 3, 12, 12], ScalarType.Float64, generator: inputs), tensor(new long[] { 0, 1, 2, 1 }));
        using var val = new ClipBatch(randn([4, 1, 3, 3, 12, 12], ScalarType.Float64, generator: inputs), tensor(new long[] { 2, 0, 1, 0 }));

        (int Edge, int Op)[] probes = [(0, 1), (0, 2), (2, 4), (4, 3)];
        var alpha = search.Model.ArchParameters[0]; // normal cell
        double[] secondOrder, firstOrder;
        using (NewDisposeScope())
        {
            var g2 = search.ArchGradient(val, train).Grads[0];
            secondOrder = probes.Select(p => g2[p.Edge, p.Op].item<double>()).ToArray();
            var g1 = search.ArchGradient(val).Grads[0];
            firstOrder = probes.Select(p => g1[p.Edge, p.Op].item<double>()).ToArray();
        }

        const double h = 1e-6;
        var numeric = probes.Select(p =>
        {
            Nudge(alpha, p, h);
            double plus = search.UnrolledValidationLoss(train, val);
            Nudge(alpha, p, -2 * h);
            double minus = search.UnrolledValidationLoss(train, val);
            Nudge(alpha, p, h);
            return (plus - minus) / (2 * h);
        }).ToArray();

        var report = string.Join("; ", probes.Select((p, i) => $"{p}: 2nd {secondOrder[i]:E4} 1st {firstOrder[i]:E4} fd {numeric[i]:E4}"));
        for (int i = 0; i < probes.Length; i++)
        {
            double tolerance = 0.02 * Math.Abs(numeric[i]) + 1e-6;
            Assert.True(Math.Abs(secondOrder[i] - numeric[i]) < tolerance,
                report);
        }
        // The test can tell the two apart: first order misses the Hessian term by far more than the tolerance.
        double firstOrderError = probes.Select((_, i) => Math.Abs(firstOrder[i] - numeric[i]) / (Math.Abs(numeric[i]) + 1e-6)).Max();
        Assert.True(firstOrderError > 0.1, $"first order is within {firstOrderError:P1} of the unrolled gradient; the probe is too weak");
    }

    private static void Nudge(Tensor alpha, (int Edge, int Op) p, double by)
    {
        using var noGrad = no_grad();
        using var view = alpha[p.Edge, p.Op];
        view.add_(by);
    }
}
