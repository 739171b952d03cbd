using System.Runtime.InteropServices;
using VideoNas.Grains;
using VideoNas.Grains.DataPlane;

namespace VideoNas.Tests;

/// <summary>The fallback data plane's grain: one round of three contributors, checked by hand.</summary>
public class GradientExchangeTests
{
    [Fact]
    public async Task EveryContributorGetsTheMeanOnceAllHaveSent()
    {
        using var state = new TempFolder("videonas-exchange-");
        await using var cluster = await TestClusters.StartAsync(1, state.Path);
        var exchange = cluster.Client.GetGrain<IGradientExchangeGrain>("ring-a");
        float[][] parts = [[1, -2, 0.5f], [3, 4, 0.25f], [5, 1, -0.75f]];

        var first = exchange.AllReduceMean(0, 3, 0, Bytes(parts[0]));
        var second = exchange.AllReduceMean(2, 3, 0, Bytes(parts[2]));
        await Task.Delay(200);
        Assert.False(first.IsCompleted || second.IsCompleted, "answered before every rank had contributed");
        var third = exchange.AllReduceMean(1, 3, 0, Bytes(parts[1]));

        foreach (var answer in await Task.WhenAll(first, second, third))
            Assert.Equal([3f, 1f, 0f], MemoryMarshal.Cast<byte, float>(answer).ToArray());

        // Buffers of different lengths: both contributors fail at once, whoever came first.
        var shorter = exchange.AllReduceMean(0, 2, 1, Bytes([1, 2]));
        var longer = exchange.AllReduceMean(1, 2, 1, Bytes([1, 2, 3]));
        var errors = new[] { await Assert.ThrowsAsync<InvalidOperationException>(() => shorter), await Assert.ThrowsAsync<InvalidOperationException>(() => longer) };
        Assert.All(errors, e => Assert.Contains("the replicas have diverged", e.Message));
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
