using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace VideoNas.Client;

/// <summary>
/// A client of a running VideoNas cluster, found through Redis (<c>--redis</c>, as the silos are) or
/// through gateway addresses (<c>--gateway host:port[,host:port]</c>). The environment variables
/// VIDEONAS_REDIS and VIDEONAS_GATEWAY stand in for the options.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>--redis, --gateway and --cluster-id: where the cluster is.</summary>
    public sealed class Options
    {
        public Option<string?> Redis { get; } = new("--redis") { Description = "find the cluster through Redis (default: $VIDEONAS_REDIS)", HelpName = "HOST:PORT" };
        public Option<string?> Gateway { get; } = new("--gateway")
        {
            Description = "or talk to these gateways, comma-separated (default: $VIDEONAS_GATEWAY, else 127.0.0.1:30000)", HelpName = "HOST:PORT",
        };
        public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "the silos' VideoNas:ClusterId", DefaultValueFactory = _ => "videonas", HelpName = "ID" };

        public Option<string?> RedisPasswordFile { get; } = new("--redis-password-file")
        {
            Description = "a file holding Redis' password, so it stays out of the command line (default: $VIDEONAS_REDIS_PASSWORD_FILE)", HelpName = "FILE",
        };

        public Option<int> ConnectTimeout { get; } = CliOptions.Number("--connect-timeout", 15, "seconds to wait for the cluster to answer before giving up", "S")
            .InRange(1, 3600);

        public IEnumerable<Option> All => [Redis, RedisPasswordFile, Gateway, ClusterId, ConnectTimeout];

        public Address Read(ParseResult r)
        {
            var (gateways, source) = r.GetValue(Gateway) is { } given ? (given, "--gateway")
                : Environment.GetEnvironmentVariable("VIDEONAS_GATEWAY") is { } env ? (env, "VIDEONAS_GATEWAY") : ("127.0.0.1:30000", "the default gateway");
            return new(r.GetValue(Redis) ?? Environment.GetEnvironmentVariable("VIDEONAS_REDIS"), gateways, r.GetValue(ClusterId)!)
            {
                RedisPasswordFile = r.GetValue(RedisPasswordFile) ?? Environment.GetEnvironmentVariable("VIDEONAS_REDIS_PASSWORD_FILE"),
                GatewaySource = source,
                Timeout = TimeSpan.FromSeconds(r.GetValue(ConnectTimeout)),
            };
        }
    }

    private readonly IHost _host;

    public IClusterClient Client { get; }

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Where the cluster is, as the options and environment say.</summary>
    public sealed record Address(string? Redis, string Gateways, string ClusterId)
    {
        public string? RedisPasswordFile { get; init; }

        /// <summary>Which option or variable the gateways came from, so a bad one is blamed on the right name.</summary>
        public string GatewaySource { get; init; } = "--gateway";

        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

        /// <summary>Whether to say on stderr where it connects (a user's command does; a harness that starts its own cluster does not).</summary>
        public bool Announce { get; init; } = true;
    }

    public static async Task<ClusterConnection> OpenAsync(Address address)
    {
        var (redis, gateways, clusterId) = address;
        var builder = Host.CreateApplicationBuilder();
        // Connection failures surface as one clear error below; the host's own log of them is a stack trace.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (redis is not null) client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis, address.RedisPasswordFile));
            else client.UseStaticClustering(gateways.Split(',').Select(g => Gateway(g, address.GatewaySource)).ToArray());
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "videonas"));
            client.AddActivityPropagation();
        });
        var host = builder.Build();
        string where = redis is not null ? $"through Redis at {Silo.RedisSettings.WithoutPassword(redis)}" : $"at {gateways}";
        if (address.Announce) Console.Error.WriteLine($"connecting to the VideoNas cluster {where} (cluster id {clusterId}; giving up after {address.Timeout.TotalSeconds:0} s)");
        using var deadline = new CancellationTokenSource(address.Timeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (Exception e)
        {
            host.Dispose();
            // Ctrl+C (the host's lifetime cancels its start): a cancellation, not a missing cluster.
            if (e is OperationCanceledException && !deadline.IsCancellationRequested) throw;
            string why = deadline.IsCancellationRequested ? $"nothing answered within {address.Timeout.TotalSeconds:0} s (is a silo running there? --connect-timeout waits longer)"
                : Cause(e);
            throw new UsageException($"could not reach a VideoNas cluster {where} (cluster id {clusterId}): {why}");
        }
        return new ClusterConnection(host);
    }

    private static StackExchange.Redis.ConfigurationOptions RedisOptions(string redis, string? passwordFile)
    {
        try
        {
            return Silo.RedisSettings.Options(redis, passwordFile);
        }
        catch (FileNotFoundException e)
        {
            throw new UsageException($"--redis-password-file: {e.Message}");
        }
    }

    /// <summary>StackExchange.Redis ends its message with advice to the programmer (abortConnect=false); the user needs its first sentence.</summary>
    private static string Cause(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is StackExchange.Redis.RedisConnectionException) return "Redis did not answer: " + x.Message.Split(". ")[0];
        return e.Message;
    }

    /// <summary>host:port, host a name or an IP address.</summary>
    private static IPEndPoint Gateway(string text, string source)
    {
        string trimmed = text.Trim();
        if (IPEndPoint.TryParse(trimmed, out var e) && e.Port != 0) return e;
        int colon = trimmed.LastIndexOf(':');
        if (colon > 0 && int.TryParse(trimmed[(colon + 1)..], out int port) && port is > 0 and < 65536)
        {
            try
            {
                var address = Dns.GetHostAddresses(trimmed[..colon]).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).First();
                return new IPEndPoint(address, port);
            }
            catch (Exception x) when (x is System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
            {
                throw new UsageException($"{source}: the host of \"{text}\" cannot be resolved");
            }
        }
        throw new UsageException($"{source}: \"{text}\" is not a HOST:PORT address");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
