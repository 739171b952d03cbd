using System.Globalization;

namespace VideoNas.Core.DataPlane;

/// <summary>Where one ring member listens for its predecessor's connection.</summary>
public sealed record RingEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";

    public static RingEndpoint Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is 0 or > 65535)
            throw new FormatException($"'{text}' is not a ring endpoint (host:port)");
        return new RingEndpoint(text[..colon], port);
    }
}
