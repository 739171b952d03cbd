using System.Net;
using System.Net.Sockets;

namespace VideoNas.Core;

/// <summary>Ports for processes on one machine: the embedded silo, loopback clusters, tests.</summary>
public static class LoopbackPort
{
    /// <summary>A port nobody listens on now (the kernel's choice for port 0), for whoever binds it next.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
