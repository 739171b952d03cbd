using System.Text.Json;
using Polly;
using Polly.Retry;
using VideoNas.Nas.Native;

namespace VideoNas.Nas.Numerics;

/// <summary>
/// Chooses the kernel route before libtorch loads. A user's <c>VIDEONAS_ONEDNN_ISA</c> (or oneDNN's own
/// <c>ONEDNN_MAX_CPU_ISA</c>) wins; otherwise the verdict cached for this CPU and libtorch build; otherwise
/// the ladder is probed (fastest route first, each in its own process, until one passes the float64
/// self-check) and its verdict cached. Processes starting together wait for one probe instead of each running it.
/// </summary>
public static class KernelRouting
{
    public const string RouteVariable = "VIDEONAS_ONEDNN_ISA";
    public const string CacheVariable = "VIDEONAS_KERNEL_CACHE";
    public const string Auto = "auto";

    public static string CacheDirectory() => UserCache.Folder("kernels", CacheVariable);

    /// <summary>The decision for this process; <paramref name="say"/> hears about a probe while it runs.</summary>
    internal static KernelRouteDecision DecideForProcess(Action<string> say)
    {
        string? requested = Environment.GetEnvironmentVariable(RouteVariable);
        if (!string.IsNullOrWhiteSpace(requested) && !requested.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase))
            return new(KernelRoute.Parse(requested, RouteVariable), KernelRouteSource.Override, null);
        if (Environment.GetEnvironmentVariable(KernelRoute.OneDnnIsaVariable) is { Length: > 0 } oneDnn)
            return new(new KernelRoute(oneDnn.ToUpperInvariant()), KernelRouteSource.OneDnnVariable, null);
        var probe = KernelProbeProcess.Locate(out string? whyNot);
        if (probe is null) return new(KernelRoute.Native, KernelRouteSource.Unverified, null, whyNot);
        var (verdict, cached) = ForThisMachine(probe, say, forget: false);
        return new(new KernelRoute(verdict.Route), cached ? KernelRouteSource.Cache : KernelRouteSource.Probe, verdict);
    }

    /// <summary>
    /// The cached verdict under <paramref name="key"/>, or a new one: the first route of this CPU's ladder
    /// that <paramref name="probe"/> passes (or, if none does, <c>off</c>, marked unverified). With
    /// <paramref name="forget"/> the cached verdict is dropped first, under the same lock.
    /// </summary>
    public static (KernelVerdict Verdict, bool Cached) ChooseOrRecall(CpuIdentity cpu, string key, string cacheDir,
        Func<KernelRoute, RouteTrial> probe, Action<string>? say = null, bool forget = false)
    {
        Directory.CreateDirectory(cacheDir);
        string file = Path.Combine(cacheDir, key + ".json");
        using var gate = Lock(file + ".lock");
        if (forget) File.Delete(file);
        else if (Read(file) is { } known) return (known, true);

        var tried = new List<RouteTrial>();
        foreach (var route in KernelRoute.Ladder(cpu))
        {
            say?.Invoke($"videonas: checking the {route} kernel route against float64 on this CPU (once per CPU and libtorch build)");
            var trial = probe(route);
            tried.Add(trial);
            if (trial.Passed) break;
            say?.Invoke($"videonas: the {route} route failed: {string.Join("; ", trial.Failures.Take(3))}{(trial.Failures.Count > 3 ? $" (+{trial.Failures.Count - 3} more)" : "")}");
        }
        var chosen = tried.FirstOrDefault(t => t.Passed);
        if (chosen is null) say?.Invoke("videonas: no kernel route passed the float64 check on this CPU; run `videonas doctor`");
        else if (tried.Count > 1) say?.Invoke($"videonas: using the {chosen.Route} route; `videonas doctor` shows why, docs/numerics.md what it costs");
        var verdict = new KernelVerdict(chosen?.Route ?? KernelRoute.OffName, chosen is not null, cpu.Model, key, DateTimeOffset.UtcNow, tried);
        string temp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(verdict, VideoNas.Core.JsonFormats.Output));
        File.Move(temp, file, overwrite: true);
        return (verdict, false);
    }

    /// <summary>Forgets this machine's verdict and probes the ladder again; new processes take the new route.</summary>
    public static KernelVerdict Reprobe(Action<string> say)
    {
        var probe = KernelProbeProcess.Locate(out string? whyNot) ?? throw new FileNotFoundException(whyNot);
        return ForThisMachine(probe, say, forget: true).Verdict;
    }

    private static (KernelVerdict Verdict, bool Cached) ForThisMachine(KernelProbeProcess probe, Action<string> say, bool forget)
    {
        var cpu = CpuIdentity.Current();
        return ChooseOrRecall(cpu, VerdictKey(cpu, LibTorchIdentity()), CacheDirectory(), route => probe.Run(route, untilFailure: true), say, forget);
    }

    public static string VerdictKey(CpuIdentity cpu, string libTorch) =>
        ShortHash.Of($"{cpu.Digest()}|{libTorch}|{typeof(TorchSharp.torch).Assembly.GetName().Version}|{KernelCatalogue.Version}");

    /// <summary>The libtorch build, by its CPU library's size and time stamp (hashing its 450 MB would cost seconds).</summary>
    public static string LibTorchIdentity()
    {
        var lib = new FileInfo(Path.Combine(TorchNativeBootstrap.FindNativeDirectory(), "libtorch_cpu.so"));
        return lib.Exists ? $"{lib.Length}:{lib.LastWriteTimeUtc.Ticks}" : "unknown";
    }

    private static KernelVerdict? Read(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<KernelVerdict>(File.ReadAllText(file), VideoNas.Core.JsonFormats.Output);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An exclusive lock between processes (.NET takes flock for FileShare.None), waited for up to 20 minutes.</summary>
    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        var waitForHolder = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(_ => DateTime.UtcNow < deadline),
            MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Constant, Delay = TimeSpan.FromMilliseconds(200),
        }).Build();
        return waitForHolder.Execute(() => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
    }
}
