using System.Net;
using System.Net.Sockets;

namespace VideoNas.Silo;

/// <summary>The address a silo tells others to reach it at: given, or this host's own ("auto") where replicas share one config.</summary>
public static class AdvertisedAddress
{
    public const string Auto = "auto";

    public static IPAddress Parse(string text)
    {
        if (!string.Equals(text, Auto, StringComparison.OrdinalIgnoreCase))
            return IPAddress.TryParse(text, out var given) ? given
                : throw new ArgumentException($"VideoNas:AdvertisedIP: \"{text}\" is neither an IP address nor \"{Auto}\"");
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? throw new InvalidOperationException($"VideoNas:AdvertisedIP {Auto}: host {Dns.GetHostName()} has no IPv4 address other than loopback");
    }
}
