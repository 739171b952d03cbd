using VideoNas.Core.GroundTruth;
using VideoNas.Nas.Selection;
using static TorchSharp.torch;

namespace VideoNas.Tests;

/// <summary>The zero-cost proxies on linear networks small enough to score by hand.</summary>
public class ZeroCostProxyTests
{
    private static nn.Module<Tensor, Tensor> Linear(int inputs, int outputs, float[] weight, float[]? bias)
    {
        var linear = nn.Linear(inputs, outputs, hasBias: bias is not null);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(weight).reshape(outputs, inputs));
            if (bias is not null) linear.bias!.copy_(tensor(bias));
        }
        return linear;
    }

    [Fact]
    public void GradNormIsTheSumOfTheWeightGradientNorms()
    {
        // Zero weights: logits 0, softmax ½ each; x = (1, 2), label 0. ∂L/∂W = (p − y)xᵀ = [[−½, −1], [½, 1]],
        // ‖·‖ = √2.5; ∂L/∂b = (−½, ½), ‖·‖ = √0.5.
        using var model = Linear(2, 2, [0, 0, 0, 0], [0, 0]);
        double score = ZeroCostProxies.Score(ZeroCostProxyNames.GradNorm, model, tensor(new float[] { 1, 2 }).reshape(1, 2), tensor(new long[] { 0 }));
        Assert.Equal(Math.Sqrt(2.5) + Math.Sqrt(0.5), score, 5);
    }

    [Fact]
    public void SynflowSumsAbsoluteWeightTimesGradientOnAllOnesInput()
    {
        // y = |w|·1 per clip; R = Σ over 2 clips, so ∂R/∂|w| = 2 and the score is 2·(2 + 3) whatever the input.
        using var model = Linear(2, 1, [-2, 3], null);
        double score = ZeroCostProxies.Score(ZeroCostProxyNames.Synflow, model, tensor(new float[] { 7, -1, 0.5f, 4 }).reshape(2, 2), tensor(new long[] { 0, 0 }));
        Assert.Equal(10, score, 9);
    }

    [Fact]
    public void JacobCovPenalisesInputsWithTheSameJacobian()
    {
        // A linear network has the Jacobian (1, 3) at every input: correlation [[1, 1], [1, 1]], eigenvalues 0 and 2.
        using var model = Linear(2, 1, [1, 3], null);
        double score = ZeroCostProxies.Score(ZeroCostProxyNames.JacobCov, model, tensor(new float[] { 1, 0, 0, 1 }).reshape(2, 2), tensor(new long[] { 0, 0 }));
        const double k = 1e-5;
        Assert.Equal(-(Math.Log(k) + 1 / k + Math.Log(2 + k) + 1 / (2 + k)), score, 3);

        // Σx²: Jacobians 2x, here (2, 0, 0) and (0, 2, 0); centred on their means they correlate at −½, so the
        // eigenvalues are ½ and 3/2 and the score is far higher.
        using var square = new Square();
        double separated = ZeroCostProxies.Score(ZeroCostProxyNames.JacobCov, square, tensor(new float[] { 1, 0, 0, 0, 1, 0 }).reshape(2, 3), tensor(new long[] { 0, 0 }));
        Assert.Equal(-(Math.Log(0.5 + k) + 1 / (0.5 + k) + Math.Log(1.5 + k) + 1 / (1.5 + k)), separated, 6);
    }

    [Fact]
    public void AnUnknownProxyIsNamedWithTheKnownOnes()
    {
        using var model = Linear(2, 1, [1, 1], null);
        var e = Assert.Throws<ArgumentException>(() => ZeroCostProxies.Score("snip", model, ones(1, 2), tensor(new long[] { 0 })));
        Assert.Contains("grad_norm, synflow, jacob_cov", e.Message);
    }

    private sealed class Square() : nn.Module<Tensor, Tensor>("square")
    {
        public override Tensor forward(Tensor x) => x.square();
    }
}
