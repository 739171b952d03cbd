using TorchSharp;
using VideoNas.Nas.Models;
using static TorchSharp.torch;

namespace VideoNas.Tests;

/// <summary>The channels-last max pool is ATen's max pool exactly: the same maxima, and gradients routed to the same cells.</summary>
public class ChannelsLastMaxPoolTests
{
    [Theory]
    [InlineData(new long[] { 1, 3, 3 }, new long[] { 1, 1, 1 }, new long[] { 0, 1, 1 }, false)]
    [InlineData(new long[] { 1, 3, 3 }, new long[] { 1, 2, 2 }, new long[] { 0, 1, 1 }, false)]
    [InlineData(new long[] { 3, 3, 3 }, new long[] { 1, 1, 1 }, new long[] { 1, 1, 1 }, false)]
    [InlineData(new long[] { 2, 2, 2 }, new long[] { 2, 2, 2 }, new long[] { 0, 0, 0 }, true)]
    public void SameOutputAndSameGradientAsTheContiguousKernelTiesIncluded(long[] kernel, long[] stride, long[] padding, bool ceil)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        // ReLU then rounding leaves most windows with tied maxima (zeros, small integers): the argmax rule shows.
        var x = randn([3, 6, 3, 9, 9], generator: generator).relu().round();
        var expected = x.clone().requires_grad_();
        var actual = x.clone().requires_grad_();
        var want = nn.functional.max_pool3d(expected, kernel, stride, padding, ceil_mode: ceil);
        var got = ChannelsLastMaxPool.Apply(actual, kernel, stride, padding, ceil);
        Assert.Equal(want.shape, got.shape);
        Assert.True(got.is_contiguous());
        Assert.True(want.eq(got).all().item<bool>(), "maxima differ");
        var upstream = randn(want.shape, generator: generator);
        want.backward([upstream]);
        got.backward([upstream]);
        Assert.True(expected.grad!.eq(actual.grad!).all().item<bool>(), "gradients differ");
    }

    [Fact]
    public void ANarrowedInputPoolsItsOwnChannelsOnly()
    {
        using var scope = NewDisposeScope();
        // channels 0..3 of a ramp: the 2×2×2 maximum of each channel's block is its last cell
        var x = arange(2 * 8 * 2 * 2 * 2, dtype: ScalarType.Float32).reshape(2, 8, 2, 2, 2).requires_grad_();
        foreach (var input in new[] { x, x.detach() })
        {
            var pooled = ChannelsLastMaxPool.Apply(input.narrow(1, 4, 4), [2, 2, 2], [2, 2, 2], [0, 0, 0]);
            Assert.Equal(new long[] { 2, 4, 1, 1, 1 }, pooled.shape);
            Assert.Equal(new float[] { 39, 47, 55, 63, 103, 111, 119, 127 }, pooled.flatten().data<float>().ToArray());
            if (input.requires_grad) pooled.sum().backward();
        }
        // each maximum passes its gradient to its own cell: 8 ones, the first of them at [0, 4, 1, 1, 1]
        Assert.Equal(8f, x.grad!.sum().item<float>());
        Assert.Equal(1f, x.grad![0, 4, 1, 1, 1].item<float>());
        Assert.Equal(0f, x.grad![0, 0].abs().sum().item<float>());
    }
}
