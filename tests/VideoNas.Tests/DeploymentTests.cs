using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace VideoNas.Tests;

/// <summary>docker-compose.yml and the Kubernetes overlays as rendered by `kubectl kustomize`.</summary>
public class DeploymentTests
{
    [Fact]
    public void ComposeHasRedisSilosAndTheClientWithSharedVolumesAndNoInlinePassword()
    {
        var compose = DeployFiles.ReadFile("docker-compose.yml");
        var services = (YamlMappingNode)compose.At("services")!;
        Assert.Equal(["redis", "silo", "client"], services.Children.Keys.Select(k => k.ToString()));
        Assert.Equal(["redis-data", "datasets", "runs", "checkpoints"], ((YamlMappingNode)compose.At("volumes")!).Children.Keys.Select(k => k.ToString()));

        var silo = services.At("silo")!;
        Assert.True(int.Parse(silo.Text("deploy", "replicas")!, CultureInfo.InvariantCulture) >= 2);
        var mounts = silo.Items("volumes").Select(v => v.ToString()).ToList();
        Assert.Contains("datasets:/data", mounts);
        Assert.Contains("checkpoints:/checkpoints", mounts);
        Assert.Equal("/checkpoints", silo.At("environment")!.Merged()["VIDEONAS_VideoNas__Recovery__CheckpointDir"]);
        Assert.Equal("auto", silo.At("environment")!.Merged()["VIDEONAS_VideoNas__AdvertisedIP"]);
        Assert.Equal("/data", silo.At("environment")!.Merged()["VIDEONAS_VideoNas__DataRoots__0"]);
        Assert.Equal("/runs", silo.At("environment")!.Merged()["VIDEONAS_VideoNas__OutputRoot"]);
        Assert.Equal(["videonas"], services.At("client")!.Items("entrypoint").Select(e => e.ToString()));

        // The password lives in a secret file: Redis reads it there, silos and the client are given its path.
        Assert.Equal("./deploy/secrets/redis_password", compose.Text("secrets", "redis_password", "file"));
        Assert.Contains("$(cat /run/secrets/redis_password)", services.At("redis")!.Items("command").Last().ToString());
        foreach (var name in new[] { "silo", "client" })
        {
            var env = services.At(name, "environment")!.Merged();
            var passwordSettings = env.Where(e => e.Key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(2, passwordSettings.Count);
            Assert.All(passwordSettings, e => Assert.Equal("/run/secrets/redis_password", e.Value));
            Assert.DoesNotContain(env.Values, v => v.Contains("password=", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("redis:6379", env["VIDEONAS_REDIS"]);
        }
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void EachOverlayRendersTheSilosRedisStorageAndPolicies(string overlay)
    {
        var objects = DeployFiles.Kustomize($"deploy/k8s/overlays/{overlay}");
        YamlMappingNode One(string kind, string name) => Assert.Single(objects, o => o.Text("kind") == kind && o.Text("metadata", "name") == name);

        Assert.All(objects, o => Assert.Equal("videonas", o.Text("metadata", "namespace")));
        Assert.DoesNotContain(objects, o => o.Text("kind") == "Secret");
        One("ServiceAccount", "videonas-silo");
        Assert.Contains("delete", One("Role", "videonas-silo").Items("rules", 0, "verbs").Select(v => v.ToString()));
        One("RoleBinding", "videonas-silo");
        One("PodDisruptionBudget", "videonas-silo");
        foreach (var claim in new[] { "videonas-datasets", "videonas-runs", "videonas-checkpoints" })
            Assert.Equal("ReadWriteMany", One("PersistentVolumeClaim", claim).Text("spec", "accessModes", 0));

        var silo = One("StatefulSet", "videonas-silo");
        Assert.Equal("videonas", silo.Text("spec", "template", "metadata", "labels", "orleans/serviceId"));
        var container = silo.At("spec", "template", "spec", "containers", 0)!;
        Assert.NotNull(container.At("readinessProbe"));
        Assert.NotNull(container.At("livenessProbe"));
        var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e);
        Assert.All(new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" }, name => Assert.Contains(name, env.Keys));
        Assert.Equal("true", env["VIDEONAS_VideoNas__Kubernetes"].Text("value"));
        Assert.Equal("/run/secrets/redis/password", env["VIDEONAS_VideoNas__RedisPasswordFile"].Text("value"));
        Assert.Equal("/data", env["VIDEONAS_VideoNas__DataRoots__0"].Text("value"));
        Assert.Equal("/runs", env["VIDEONAS_VideoNas__OutputRoot"].Text("value"));
        Assert.Contains(silo.Items("spec", "template", "spec", "volumes"), v => v.Text("secret", "secretName") == "videonas-redis");

        var redis = One("StatefulSet", "videonas-redis");
        Assert.NotNull(redis.At("spec", "volumeClaimTemplates", 0));
        var redisEnv = Assert.Single(redis.Items("spec", "template", "spec", "containers", 0, "env"));
        Assert.Equal("videonas-redis", redisEnv.Text("valueFrom", "secretKeyRef", "name"));

        if (overlay == "gpu")
        {
            Assert.Equal("videonas:cuda", container.Text("image"));
            Assert.Equal("4", container.Text("resources", "limits", "nvidia.com/gpu"));
        }
        else
        {
            Assert.Equal("videonas:cpu", container.Text("image"));
            Assert.Null(container.At("resources", "limits", "nvidia.com/gpu"));
            Assert.Equal("limits.cpu", env["VIDEONAS_VideoNas__Devices__TorchThreads"].Text("valueFrom", "resourceFieldRef", "resource"));
        }

        // Silo and ring ports only from silos; the gateway from silos and clients; Redis from silos and clients.
        var siloPolicy = One("NetworkPolicy", "videonas-silo");
        var rules = siloPolicy.Items("spec", "ingress").ToList();
        var fromSilos = Assert.Single(rules, r => r.Items("from").Any(f => f.Text("podSelector", "matchLabels", "app.kubernetes.io/name") == "videonas-silo"));
        Assert.Equal(["11111", "30000", "40000"], fromSilos.Items("ports").Select(p => p.Text("port")!));
        Assert.Equal("40031", fromSilos.Text("ports", 2, "endPort"));
        Assert.Equal("40000-40031", env["VIDEONAS_VideoNas__RingPorts"].Text("value"));
        var gateway = Assert.Single(rules, r => r.Items("from").Any(f => f.Text("podSelector", "matchLabels", "app.kubernetes.io/name") == "videonas-client"));
        Assert.Equal(["30000"], gateway.Items("ports").Select(p => p.Text("port")!));
        Assert.Contains(gateway.Items("from"), f => f.Text("podSelector", "matchLabels", "app.kubernetes.io/name") == "videonas-client");
        var redisPolicy = One("NetworkPolicy", "videonas-redis");
        Assert.Equal("6379", redisPolicy.Text("spec", "ingress", 0, "ports", 0, "port"));
    }

    [Fact]
    public void TheSubmitJobIsAClientThatReadsThePasswordFromTheSecret()
    {
        var job = DeployFiles.ReadFile("deploy/k8s/jobs/submit.yaml");
        Assert.Equal("Job", job.Text("kind"));
        Assert.Equal("videonas-client", job.Text("spec", "template", "metadata", "labels", "app.kubernetes.io/name"));
        var container = job.At("spec", "template", "spec", "containers", 0)!;
        Assert.Equal(["videonas"], container.Items("command").Select(c => c.ToString()));
        Assert.Equal("submit", container.Text("args", 0));
        Assert.Contains(job.Items("spec", "template", "spec", "volumes"), v => v.Text("secret", "secretName") == "videonas-redis");
    }
}
