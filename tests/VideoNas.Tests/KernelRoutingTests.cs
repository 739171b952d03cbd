using VideoNas.Nas.Numerics;

namespace VideoNas.Tests;

/// <summary>Choosing the kernel route: the ladder per CPU, the step-down past failing routes, the cache, and the parts read from outside.</summary>
public class KernelRoutingTests
{
    private static CpuIdentity Cpu(params string[] flags) => new("Test CPU", "TestVendor", "25", "17", flags.ToHashSet());

    [Fact]
    public void TheLadderTriesFullOneDnnThenEachCapThenNoOneDnn()
    {
        Assert.Equal(["native", "AVX2", "SSE41", "off"], KernelRoute.Ladder(Cpu("sse4_1", "avx", "avx2", "avx512f")).Select(r => r.Name));
        Assert.Equal(["native", "SSE41", "off"], KernelRoute.Ladder(Cpu("sse4_1", "avx", "avx2")).Select(r => r.Name));
        Assert.Equal(["native", "off"], KernelRoute.Ladder(Cpu("sse4_1")).Select(r => r.Name));
    }

    [Fact]
    public void AFaultInTheFasterRoutesStepsDownToTheFirstThatPassesAndTheVerdictIsCached()
    {
        using var cacheFolder = new TempFolder("videonas-kernels-");
        string cache = cacheFolder.Path;
        var probed = new List<string>();
        var messages = new List<string>();
        RouteTrial Probe(KernelRoute route)
        {
            probed.Add(route.Name);
            bool faulty = route.Name is "native" or "AVX2";
            return new RouteTrial(route.Name, !faulty, 0.1, faulty ? ["p3d_b_3 (search form, stride 1x1x1): FAILED, output has NaN"] : [], "isa", "v3");
        }
        var cpu = Cpu("avx2", "avx512f");
        var (verdict, cached) = KernelRouting.ChooseOrRecall(cpu, "k1", cache, Probe, messages.Add);
        Assert.False(cached);
        Assert.Equal("SSE41", verdict.Route);
        Assert.True(verdict.Verified);
        Assert.Equal(["native", "AVX2", "SSE41"], probed);
        Assert.Contains(messages, m => m.Contains("the native route failed: p3d_b_3"));
        Assert.Contains(messages, m => m.Contains("using the SSE41 route"));

        var (again, fromCache) = KernelRouting.ChooseOrRecall(cpu, "k1", cache, _ => throw new InvalidOperationException("probed again"));
        Assert.True(fromCache);
        Assert.Equal(verdict with { CheckedAt = again.CheckedAt }, again with { Tried = verdict.Tried });
        Assert.Equal(3, again.Tried.Count);
    }

    [Fact]
    public void WhenEveryRouteFailsTheVerdictIsOffAndUnverified()
    {
        using var cacheFolder = new TempFolder("videonas-kernels-");
        string cache = cacheFolder.Path;
        var (verdict, _) = KernelRouting.ChooseOrRecall(Cpu("avx2"), "k2", cache, r => new RouteTrial(r.Name, false, 0, ["wrong"], null, null));
        Assert.Equal("off", verdict.Route);
        Assert.False(verdict.Verified);
        Assert.True(new KernelRouteDecision(KernelRoute.Off, KernelRouteSource.Cache, verdict).KnownBroken);
    }

    [Fact]
    public void ProcessesStartingTogetherProbeOnce()
    {
        using var cacheFolder = new TempFolder("videonas-kernels-");
        string cache = cacheFolder.Path;
        int probes = 0;
        RouteTrial Slow(KernelRoute r)
        {
            Interlocked.Increment(ref probes);
            Thread.Sleep(300);
            return new RouteTrial(r.Name, true, 0.3, [], null, null);
        }
        var results = Enumerable.Range(0, 3).AsParallel().WithDegreeOfParallelism(3)
            .Select(_ => KernelRouting.ChooseOrRecall(Cpu("avx2"), "k3", cache, Slow)).ToList();
        Assert.Equal(1, probes);
        Assert.Single(results, r => !r.Cached);
        Assert.All(results, r => Assert.Equal("native", r.Verdict.Route));
    }

    [Theory]
    [InlineData("native", "native")]
    [InlineData("OFF", "off")]
    [InlineData("avx2", "AVX2")]
    [InlineData(" sse41 ", "SSE41")]
    [InlineData("avx512_core_bf16", "AVX512_CORE_BF16")]
    public void RoutesAreReadInAnyCase(string value, string expected) => Assert.Equal(expected, KernelRoute.Parse(value, "test").Name);

    [Fact]
    public void AnUnknownRouteIsRefusedNamingTheVariableAndTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelRoute.Parse("avx9000", KernelRouting.RouteVariable));
        Assert.Contains("VIDEONAS_ONEDNN_ISA: \"avx9000\" is not a kernel route", e.Message);
        Assert.Contains("AVX2", e.Message);
    }

    [Fact]
    public void TheCpuIsReadFromTheFirstProcessorOfCpuinfoAndKeyedByItsFlags()
    {
        const string cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC 9B45\nflags\t\t: fpu sse4_1 avx avx2 fma avx512f avx512_vp2intersect\n\nprocessor\t: 1\nmodel name\t: other\n";
        var cpu = CpuIdentity.Parse(cpuinfo);
        Assert.Equal("AMD EPYC 9B45", cpu.Model);
        Assert.True(cpu.Has("avx512_vp2intersect"));
        Assert.Equal(["avx", "avx2", "avx512_vp2intersect", "avx512f", "fma", "sse4_1"], cpu.VectorFlags);
        Assert.NotEqual(cpu.Digest(), (cpu with { Flags = cpu.Flags.Where(f => f != "avx512_vp2intersect").ToHashSet() }).Digest());
    }

    [Fact]
    public void OneDnnsBannerGivesItsVersionAndIsa()
    {
        const string verbose = "onednn_verbose,v1,info,oneDNN v3.7.1 (commit 8d263e6)\nonednn_verbose,v1,info,cpu,runtime:OpenMP,nthr:2\n" +
            "onednn_verbose,v1,info,cpu,isa:Intel AVX2\nsomething else\n";
        Assert.Equal(("Intel AVX2", "v3.7.1"), KernelProbeProcess.OneDnnInfo(verbose));
        Assert.Equal((null, null), KernelProbeProcess.OneDnnInfo("no banner"));
    }

    /// <summary>
    /// The real probe program, in its own process, on the P3D spatial unit's checks: oneDNN off, and the route
    /// this machine verified (so it must pass again).
    /// </summary>
    [Fact]
    public void TheProbeProgramChecksARouteInAProcessOfItsOwn()
    {
        var probe = KernelProbeProcess.Locate(out string? whyNot);
        Assert.True(probe is not null, whyNot);
        var off = probe.Run(KernelRoute.Off, only: "conv_1x3x3");
        Assert.True(off.Passed, string.Join("\n", off.Failures));
        Assert.Null(off.OneDnnIsa); // oneDNN never ran, so it never printed its banner
        var inForce = VideoNas.Nas.TorchRuntime.Kernels.Route;
        if (inForce == KernelRoute.Off) return;
        var again = probe.Run(inForce, only: "conv_1x3x3");
        Assert.True(again.Passed, string.Join("\n", again.Failures));
        Assert.StartsWith("Intel", again.OneDnnIsa); // oneDNN names its ISAs so, on AMD CPUs too
        Assert.StartsWith("v", again.OneDnnVersion);
    }
}
