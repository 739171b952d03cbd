using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VideoNas.Tests;

/// <summary>
/// A real cluster on loopback: a redis-server and silo processes (videonas-silo in cluster mode),
/// started here and killed on dispose. Each fixture has its own Redis port and cluster id.
/// </summary>
public sealed class RedisClusterFixture : IDisposable
{
    private readonly Process _redis;
    private readonly List<Process> _silos = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("videonas-cluster-").FullName;

    public string Redis { get; }
    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>The options every CLI call needs to find this cluster.</summary>
    public string[] ClientArgs => ["--redis", Redis, "--cluster-id", ClusterId];

    public RedisClusterFixture()
    {
        int port = FreePort();
        Redis = $"127.0.0.1:{port}";
        _redis = Start("redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir]);
        WaitForPort(port, _redis, "redis-server");
    }

    /// <summary>Starts one more silo and waits until its gateway accepts connections.</summary>
    public Process StartSilo()
    {
        int siloPort = FreePort(), gatewayPort = FreePort();
        var silo = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "videonas-silo.dll"),
            "--VideoNas:Redis", Redis, "--VideoNas:ClusterId", ClusterId,
            "--VideoNas:SiloPort", $"{siloPort}", "--VideoNas:GatewayPort", $"{gatewayPort}", "--Logging:LogLevel:Default", "Warning"]);
        _silos.Add(silo);
        WaitForPort(gatewayPort, silo, "videonas-silo");
        return silo;
    }

    private Process Start(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        // Drain the pipes so a chatty process never blocks on a full one.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void WaitForPort(int port, Process owner, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (owner.HasExited) throw new InvalidOperationException($"{what} exited with {owner.ExitCode} before listening on {port}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException($"{what} did not listen on port {port} within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var p in _silos.Append(_redis))
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
