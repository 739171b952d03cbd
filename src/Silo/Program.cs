using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using VideoNas.Grains;
using VideoNas.Silo;

// The silo host. Configuration comes from appsettings.json, VIDEONAS_* environment variables and the
// command line, e.g. `videonas-silo --VideoNas:Redis localhost:6379 --VideoNas:SiloPort 11112`.
if (args.Contains("--help"))
{
    Console.WriteLine("""
        videonas-silo [--VideoNas:Redis HOST:PORT] [--VideoNas:SiloPort P] [--VideoNas:GatewayPort P] ...

        Runs one VideoNas silo.
          without VideoNas:Redis   a single silo: localhost clustering, grain state as JSON files under
                                   VideoNas:StateDir (default ./.videonas)
          with VideoNas:Redis      cluster mode: membership and grain state in Redis; start any number of
                                   silos with the same Redis and ClusterId, each with its own ports

        Settings (appsettings.json, VIDEONAS_ environment variables such as VIDEONAS_VideoNas__Redis, or
        --VideoNas:Name value on the command line):
          VideoNas:RedisPasswordFile  a file holding Redis' password (a Docker or Kubernetes secret), so it
                                   stays out of the command line; TLS: add ",ssl=true" to VideoNas:Redis
          VideoNas:DataRoots:0, VideoNas:DataRoots:1, ...  the only folders trials may read datasets from
          VideoNas:OutputRoot     the only folder trials may write their outputs under; unset (both),
                                   any path a caller gives is used: set them wherever untrusted
                                   clients can reach the gateway
          VideoNas:RingPorts      ports the gradient ring listens on, e.g. 40000-40031, one per shard
                                   this silo runs at once (default: any free port)
          VideoNas:SiloPort       silo-to-silo port (default 11111)
          VideoNas:GatewayPort    client gateway port (default 30000)
          VideoNas:AdvertisedIP   the address other silos and clients reach this one at (default 127.0.0.1);
                                   "auto": this host's first non-loopback IPv4 (containers, docker compose)
          VideoNas:ClusterId      silos and clients of one cluster share it (default videonas)
          VideoNas:Devices:CpuSlots  shards this silo runs at once when it has no GPU (default 1)
          VideoNas:Devices:TorchThreads  libtorch threads of this silo (default: one per core); give silos
                                   that share a machine's cores a share each, or they slow each other down
          VideoNas:Recovery:CheckpointDir  checkpoints, one folder per trial; in a cluster a volume every
                                   silo mounts at the same path (default: checkpoints/ in the trial's output)
          VideoNas:Recovery:MaxRecoveries  restarts from a checkpoint before a trial fails (default 5)
          VideoNas:Recovery:DeviceWait     how long a recovering trial waits for the cluster to have enough devices (default 00:10:00)
          VideoNas:Recovery:CapacityWait   how long a new trial asking for more devices than the cluster has waits
                                   for silos to join before it fails (default 00:02:00); with enough devices
                                   in the cluster, a trial waits in the device queue for as long as it takes
          VideoNas:Recovery:QueuePoll      how often a queued trial renews its place and tries to lease (default 00:00:01)
          VideoNas:Recovery:KeeperInterval how often unfinished trials are woken, so one whose silo died
                                   resumes on another (default 00:00:10)
          VideoNas:MetricsPort    serve Prometheus metrics (videonas_*, Orleans') on http://*:PORT/metrics
          OTEL_EXPORTER_OTLP_ENDPOINT  export metrics and traces over OTLP (the standard OTEL_* variables)
          VideoNas:Kubernetes     true under Kubernetes: endpoints, cluster id and pod deaths from the
                                   pod (POD_NAME, POD_NAMESPACE, POD_IP; see deploy/k8s)
          VideoNas:Membership:ProbeTimeout, VideoNas:Membership:NumMissedProbesLimit, ...
                                   Orleans' failure detector (ClusterMembershipOptions): how fast a dead
                                   silo is voted out
        """);
    return 0;
}
// The kernel route's self-check (minutes on a new CPU) runs before the silo answers calls, as in EmbeddedSilo.
VideoNas.Nas.TorchRuntime.Initialize();
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("VIDEONAS_");
var section = builder.Configuration.GetSection("VideoNas");
string? redis = section["Redis"];
int siloPort = section.GetValue("SiloPort", 11111);
int gatewayPort = section.GetValue("GatewayPort", 30000);
builder.Services.Configure<DeviceOptions>(section.GetSection("Devices"));
if (section.GetSection("Devices").Get<DeviceOptions>() is { TorchThreads: > 0 } devices) VideoNas.Nas.TorchRuntime.LimitThreads(devices.TorchThreads);
builder.Services.Configure<RecoveryOptions>(section.GetSection("Recovery"));
builder.Services.Configure<PathOptions>(section);
builder.Services.Configure<NetworkOptions>(section);
// A malformed range fails the start, not the first trial.
_ = section.Get<NetworkOptions>()?.RingPortRange;
builder.Services.Configure<ClusterMembershipOptions>(section.GetSection("Membership"));
builder.AddVideoNasTelemetry(section);
builder.UseOrleans(silo =>
{
    if (redis is null)
    {
        string stateDir = section["StateDir"] ?? ".videonas";
        // Held for the life of the process: a second silo on this folder would run the same trials.
        builder.Services.AddSingleton(StateFolderLock.Acquire(stateDir));
        silo.UseLocalhostClustering(siloPort, gatewayPort).AddVideoNasFileStorage(stateDir);
    }
    else
    {
        var redisOptions = RedisSettings.Options(redis, section["RedisPasswordFile"]);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redisOptions)
            .AddRedisGrainStorage(VideoNasStorage.Name, o => o.ConfigurationOptions = redisOptions)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (section["ClusterId"] ?? "videonas", "videonas"));
        // Under Kubernetes the pod gives the address, and pods that are gone are voted out at once.
        if (section.GetValue("Kubernetes", false)) silo.UseKubernetesHosting();
        else
        {
            var advertised = AdvertisedAddress.Parse(section["AdvertisedIP"] ?? "127.0.0.1");
            // A loopback silo stays private to its machine; one reached from elsewhere listens on every interface.
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        }
    }
    silo.AddVideoNasDefaults();
});
await builder.Build().RunAsync();
return 0;
