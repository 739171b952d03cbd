using System.Net;
using System.Net.Sockets;
using VideoNas.Client;
using VideoNas.Core;
using VideoNas.Core.DataPlane;

namespace VideoNas.Tests;

/// <summary>VideoNas:RingPorts: the ring listens only in the configured range, so a firewall can name it.</summary>
public class RingPortTests
{
    [Theory]
    [InlineData("40000-40031", 40000, 40031)]
    [InlineData("41000", 41000, 41000)]
    [InlineData(" 40000 - 40001 ", 40000, 40001)]
    public void RangesParse(string text, int first, int last) => Assert.Equal(new PortRange(first, last), PortRange.Parse(text, "VideoNas:RingPorts"));

    [Theory]
    [InlineData("40031-40000")]
    [InlineData("0-10")]
    [InlineData("70000")]
    [InlineData("ports")]
    public void BadRangesAreRefusedNamingTheSetting(string text) =>
        Assert.StartsWith("VideoNas:RingPorts: \"", Assert.Throws<FormatException>(() => PortRange.Parse(text, "VideoNas:RingPorts")).Message);

    [Fact]
    public void TheRingTakesTheFirstFreePortOfTheRangeAndSaysSoWhenNoneIsFree()
    {
        int first = LoopbackPort.Free();
        using var busy = new TcpListener(IPAddress.Loopback, first);
        busy.Start();
        var range = new PortRange(first, first + 1);
        using (var ring = GradientRing.Listen(ports: range))
        {
            Assert.Equal(first + 1, ring.LocalEndpoint.Port);
            var full = Assert.Throws<RingBrokenException>(() => GradientRing.Listen(ports: range));
            Assert.Contains($"every ring port in {first}-{first + 1} is in use", full.Message);
        }
    }
}
