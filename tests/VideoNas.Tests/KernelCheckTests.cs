using TorchSharp;
using VideoNas.Client.Commands;
using VideoNas.Core.Diagnostics;
using VideoNas.Nas;
using VideoNas.Nas.Numerics;
using VideoNas.Nas.Supernet;

namespace VideoNas.Tests;

/// <summary>The float32-against-float64 self-check: it passes correct kernels and names a wrong one.</summary>
public class KernelCheckTests
{
    private static readonly long[] Input = [4, 8, 2, 12, 12];

    [Fact]
    public void RelativeErrorIsTheLargestDifferenceOverTheLargestReferenceValue()
    {
        using var reference = tensor(new double[] { 1, -2, 4 });
        Assert.Equal(0.25, KernelCheckRunner.RelativeError(tensor(new double[] { 1, -2, 3 }), reference), 12);
        Assert.Equal(0, KernelCheckRunner.RelativeError(zeros(3, ScalarType.Float64), zeros(3, ScalarType.Float64)));
        Assert.Equal(double.PositiveInfinity, KernelCheckRunner.RelativeError(tensor(new double[] { 1, double.NaN, 4 }), reference));
        Assert.Equal(double.PositiveInfinity, KernelCheckRunner.RelativeError(tensor(new double[] { 1, 2, double.PositiveInfinity }), reference));
    }

    [Fact]
    public void ACorrectP3dOpPassesWellInsideTheBound()
    {
        var result = KernelCheckRunner.Run(new KernelCheck("p3d_b_3", () => OperationFactory.Create("p3d_b_3", 8, Stride3.One), Input));
        Assert.True(result.Passed, result.Describe());
        Assert.InRange(result.WorstError, 0, 1e-4);
    }

    [Fact]
    public void AnOpWrongByOnePercentInFloat32FailsNamingItAndTheOutput()
    {
        var result = KernelCheckRunner.Run(new KernelCheck("broken spatial conv", () => new WrongInFloat32(scale: 1.01), Input));
        Assert.False(result.Passed);
        // The output and every gradient are 1% off alike; whichever rounds worst is named.
        Assert.InRange(result.WorstError, 0.009, 0.011);
        Assert.Matches(@"^broken spatial conv: FAILED, (output|input gradient|gradient of conv\.weight) differs from float64 by 1\.0e-2 relative", result.Describe());
    }

    [Fact]
    public void AnOpGivingNaNInFloat32FailsSayingSo()
    {
        var result = KernelCheckRunner.Run(new KernelCheck("nan conv", () => new WrongInFloat32(scale: double.NaN), Input));
        Assert.False(result.Passed);
        Assert.Contains("NaN or Inf in float32 but not in float64", result.Problem);
    }

    [Fact]
    public void ARouteProbeStopsAtTheFirstFailure()
    {
        var checks = new List<KernelCheck>
        {
            new("nan conv", () => new WrongInFloat32(scale: double.NaN), Input),
            new("p3d_b_3", () => OperationFactory.Create("p3d_b_3", 8, Stride3.One), Input),
        };
        var first = Assert.Single(KernelSelfCheck.Run(checks, untilFailure: true).Checks);
        Assert.Equal("nan conv", first.Name);
        Assert.False(first.Passed);
        Assert.Equal(2, KernelSelfCheck.Run(checks).Checks.Count);
    }

    [Fact]
    public void DoctorFailsAndNamesTheBrokenOpWhenAKernelIsWrong()
    {
        var checks = new List<KernelCheck>
        {
            new("conv_3x1x1 (search form, stride 1x1x1)", () => OperationFactory.Create("conv_3x1x1", 8, Stride3.One), Input),
            new("p3d_a_3 (injected fault)", () => new WrongInFloat32(scale: double.NaN), Input),
        };
        var report = DoctorCommand.Build(KernelSelfCheck.Run(checks));
        Assert.False(report.Passed);
        var failed = Assert.Single(report.Checks, c => c.Status == DoctorStatus.Fail && c.Name.StartsWith("kernel p3d_a_3", StringComparison.Ordinal));
        Assert.True(failed.Required);
        Assert.DoesNotContain(report.Checks, c => c.Name.Contains("conv_3x1x1") && c.Status == DoctorStatus.Fail);
    }

    [Fact]
    public void EveryOperationTheCliBuildsPassesOnThisMachineUnderTheRouteInForce()
    {
        var report = KernelSelfCheck.Run();
        Assert.True(report.Passed, string.Join("\n", report.Failures.Select(f => f.Describe())));
        // Each primitive in both forms, the strides, stem, reductions, baseline blocks and the supernet step.
        Assert.True(report.Checks.Count >= 50, $"only {report.Checks.Count} checks");
        Assert.Contains(report.Checks, c => c.Name.StartsWith("r2plus1d18 basic block", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name.StartsWith("search step of a small supernet", StringComparison.Ordinal));
    }

    /// <summary>A 1×3×3 dense convolution whose float32 result alone is scaled: a kernel bug in miniature.</summary>
    private sealed class WrongInFloat32 : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv = nn.Conv3d(8, 8, (1, 3, 3), padding: (0, 1, 1), bias: false);
        private readonly double _scale;

        public WrongInFloat32(double scale) : base(nameof(WrongInFloat32))
        {
            _scale = scale;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = conv.call(x);
            return x.dtype == ScalarType.Float32 ? y.Times(_scale) : y;
        }
    }
}
