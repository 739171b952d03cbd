using TorchSharp;
using VideoNas.Nas.Models;

namespace VideoNas.Tests;

public class FunctionalBatchNormTests
{
    [Fact]
    public void ItComputesWhatTorchSharpsBatchNormComputesInTrainingAndInEvaluation()
    {
        using var ours = new FunctionalBatchNorm(3);
        using var theirs = nn.BatchNorm3d(3);
        var generator = new Generator(5);
        using var scope = NewDisposeScope();
        for (int step = 0; step < 3; step++)
        {
            var x = randn([4, 3, 2, 5, 5], generator: generator).mul(2).add(1);
            Assert.True(ours.call(x).allclose(theirs.call(x), rtol: 1e-5, atol: 1e-6), $"training step {step}");
        }
        // Running statistics moved alike (momentum 0.1), and evaluation uses them.
        var buffers = ours.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        var reference = theirs.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.Equal(["running_mean", "running_var"], buffers.Keys.Order());
        Assert.True(buffers["running_mean"].allclose(reference["running_mean"], rtol: 1e-5, atol: 1e-6));
        Assert.True(buffers["running_var"].allclose(reference["running_var"], rtol: 1e-5, atol: 1e-6));
        ours.eval();
        theirs.eval();
        var y = randn([2, 3, 2, 5, 5], generator: generator);
        Assert.True(ours.call(y).allclose(theirs.call(y), rtol: 1e-5, atol: 1e-6));
        Assert.Equal(new[] { "bias", "weight" }, ours.named_parameters().Select(p => p.name).Order());
        Assert.Empty(new FunctionalBatchNorm(3, affine: false).parameters());
    }
}
