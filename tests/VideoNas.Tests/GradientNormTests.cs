using TorchSharp;
using VideoNas.Nas.Optim;
using static TorchSharp.torch;

namespace VideoNas.Tests;

/// <summary>The global gradient norm and PyTorch's clipping rule, on values worked out by hand.</summary>
public class GradientNormTests
{
    [Fact]
    public void TheGlobalNormIsTheNormOfAllTensorsTogether()
    {
        // ‖(3, 4, 12)‖ = √(9 + 16 + 144) = 13
        using var a = tensor(new float[] { 3, 4 });
        using var b = tensor(new float[] { 12 }).reshape(1, 1);
        Assert.Equal(13.0, Gradients.GlobalNorm([a, b]), 6);
        Assert.Equal(0.0, Gradients.GlobalNorm([]));
    }

    [Fact]
    public void ANonFiniteGradientMakesTheNormNonFinite()
    {
        using var a = tensor(new float[] { 1, float.NaN });
        using var b = tensor(new float[] { float.PositiveInfinity });
        Assert.True(double.IsNaN(Gradients.GlobalNorm([a])));
        Assert.True(double.IsPositiveInfinity(Gradients.GlobalNorm([b])));
    }

    [Fact]
    public void ClippingScalesEveryGradientByMaxOverNormOnlyWhenTheNormIsAbove()
    {
        // norm 13, max 6.5: every gradient is halved (up to the 1e-6 in the denominator)
        var grads = new List<Tensor> { tensor(new float[] { 3, 4 }), tensor(new float[] { 12 }) };
        Gradients.ClipByGlobalNorm(grads, 6.5);
        Assert.Equal(1.5f, grads[0][0].item<float>(), 5);
        Assert.Equal(2f, grads[0][1].item<float>(), 5);
        Assert.Equal(6f, grads[1].item<float>(), 5);
        Gradients.ClipByGlobalNorm(grads, 100);
        Assert.Equal(6f, grads[1].item<float>(), 5);
        foreach (var g in grads) g.Dispose();
    }
}
