using System.Buffers.Binary;
using VideoNas.Core.Reporting;

namespace VideoNas.Tests;

/// <summary>The α chart is laid out as the cell is: a row of 200 px per node, a column of 300 px per input of the last node.</summary>
public class AlphaPanelsTests
{
    [Theory]
    [InlineData(14, 3, 1500, 800)] // 4 nodes: 2 + 3 + 4 + 5 edges, 5 inputs for the last
    [InlineData(5, 1, 900, 400)]   // 2 nodes, one epoch (drawn as points)
    [InlineData(2, 2, 900, 200)]   // 1 node: the legend still gets a column of its own
    public void APanelPerEdgeInTheCellsShape(int edges, int epochs, int width, int height)
    {
        string[] primitives = ["none", "skip_connect", "conv_1x3x3"];
        var weights = Enumerable.Range(0, epochs).Select(e => Enumerable.Range(0, edges)
            .Select(edge => new[] { 0.2, 0.3, 0.5 }.Select(w => w + 0.01 * e * (edge % 2 == 0 ? 1 : -1)).ToArray()).ToArray()).ToArray();
        using var folder = new TempFolder("videonas-alpha-panels-");
        string file = folder["alphas.png"];

        AlphaPanels.Png(weights, primitives, "seed 0, normal cell", file);

        byte[] png = File.ReadAllBytes(file);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal((width, height), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }
}
