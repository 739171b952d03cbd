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

        public IEnumerable<Option> All => [Redis, RedisPasswordFile, Gateway, ClusterId];

        public Address Read(ParseResult r) => new(
            r.GetValue(Redis) ?? Environment.GetEnvironmentVariable("VIDEONAS_REDIS"),
            r.GetValue(Gateway) ?? Environment.GetEnvironmentVariable("VIDEONAS_GATEWAY") ?? "127.0.0.1:30000",
            r.GetValue(ClusterId)!)
        {
            RedisPasswordFile = r.GetValue(RedisPasswordFile) ?? Environment.GetEnvironmentVariable("VIDEONAS_REDIS_PASSWORD_FILE"),
        };
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
            else client.UseStaticClustering(gateways.Split(',').Select(Gateway).ToArray());
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "videonas"));
            client.AddActivityPropagation();
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception e)
        {
            host.Dispose();
            string where = redis is not null ? $"through Redis at {Silo.RedisSettings.WithoutPassword(redis)}" : $"at {gateways}";
            throw new UsageException($"could not reach a VideoNas cluster {where} (cluster id {clusterId}): {e.Message}");
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

    private static IPEndPoint Gateway(string text) =>
        IPEndPoint.TryParse(text.Trim(), out var e) && e.Port != 0 ? e : throw new UsageException($"--gateway: \"{text}\" is not an IP:port address");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
