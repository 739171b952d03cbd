using VideoNas.Nas.Models;

namespace VideoNas.Tests;

public class BaselineModelTests
{
    [Theory]
    // The published torchvision models at 400 classes (Kinetics).
    [InlineData("r3d18", 33_371_472L)]
    [InlineData("r2plus1d18", 31_505_325L)]
    public void StandardWidthMatchesTorchvisionParameterCounts(string name, long expected)
    {
        using var model = ModelZoo.CreateBackbone(name, 400);
        Assert.Equal(expected, ModelZoo.ParameterCount(model));
    }

    [Theory]
    [InlineData("c3d")]
    [InlineData("p3d")]
    [InlineData("r2plus1d18")]
    [InlineData("r3d18")]
    public void NarrowModelsClassifySegmentedClips(string name)
    {
        using var model = ModelZoo.Create(name, classes: 5, width: 0.125);
        using var clips = randn([2, 3, 3, 8, 32, 32]);
        using var logits = model.call(clips);
        Assert.Equal(new long[] { 2, 5 }, logits.shape);
        Assert.True(ModelZoo.ParameterCount(model) < ModelZoo.ParameterCount(ModelZoo.Create(name, 5, 0.25)));
    }

    [Fact]
    public void MacsOfAConvAndLinearStackAreCountedPerLayer()
    {
        // A 1×1×1 conv 3→4 on 2×5×5: 4·50 outputs × 3 MACs = 600; pooled 4 → linear 2: 2 × 4 = 8. Per clip.
        using var model = nn.Sequential(
            Layers.Conv3d(3, 4, (1, 1, 1)), nn.AdaptiveAvgPool3d([1, 1, 1]), nn.Flatten(), Layers.Linear(4, 2));
        using var x = randn([1, 3, 2, 5, 5]);
        Assert.Equal(608, MacCounter.Measure(model, x));
    }
}
