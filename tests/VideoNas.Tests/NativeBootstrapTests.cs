using System.Security.Cryptography;
using VideoNas.Nas;
using VideoNas.Nas.Native;

namespace VideoNas.Tests;

public class NativeBootstrapTests
{
    private static string OriginalLibrary => Path.Combine(TorchNativeBootstrap.FindNativeDirectory(), TorchNativeBootstrap.LibTorchSharp);

    [Fact]
    public void TensorOpRunsAfterBootstrap()
    {
        TorchRuntime.Initialize();
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = a.matmul(a);
        // [[1,2],[3,4]]² = [[7,10],[15,22]]
        Assert.Equal(new float[] { 7, 10, 15, 22 }, TensorBytes.ToFloats(b));
    }

    [Fact]
    public void PatchesOnlyWhereTheHostLacksAVersion()
    {
        var outcome = TorchNativeBootstrap.EnsureLoaded();
        if (HostHasGlibcxx3432())
        {
            Assert.Equal(TorchNativeBootstrap.Action.NotNeeded, outcome.Action);
            Assert.Null(outcome.LoadedPath);
        }
        else
        {
            Assert.Equal(TorchNativeBootstrap.Action.LoadedPatchedCopy, outcome.Action);
            Assert.Contains("GLIBCXX_3.4.32", outcome.WeakenedVersions);
            Assert.NotEqual(OriginalLibrary, outcome.LoadedPath);
            Assert.Contains(outcome.LoadedPath!, File.ReadAllText("/proc/self/maps"));
        }
    }

    [Fact]
    public void PatchedCopyMarksOnlyTheMissingVersionsWeakAndLeavesTheOriginal()
    {
        string original = OriginalLibrary;
        byte[] before = SHA256.HashData(File.ReadAllBytes(original));
        using var cacheFolder = new TempFolder("videonas-native-");
        string cache = cacheFolder.Path;
        var missing = new HashSet<string> { "GLIBCXX_3.4.32" };
        string copy = TorchNativeBootstrap.PreparePatchedCopy(original, missing, cache);

        Assert.StartsWith(cache, copy);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(original)));
        var originalNeeds = ElfSymbolVersions.ReadNeeds(File.ReadAllBytes(original));
        var copyNeeds = ElfSymbolVersions.ReadNeeds(File.ReadAllBytes(copy));
        Assert.Equal(originalNeeds.Count, copyNeeds.Count);
        for (int i = 0; i < copyNeeds.Count; i++)
        {
            bool weakened = copyNeeds[i].Version == "GLIBCXX_3.4.32";
            Assert.Equal(weakened ? originalNeeds[i].Flags | ElfSymbolVersions.VerFlagWeak : originalNeeds[i].Flags, copyNeeds[i].Flags);
        }
        // Only the two flag bytes may differ.
        var a = File.ReadAllBytes(original);
        var b = File.ReadAllBytes(copy);
        Assert.Equal(a.Length, b.Length);
        Assert.Single(Enumerable.Range(0, a.Length), i => a[i] != b[i]);
    }

    [Fact]
    public void ReadsTheVersionsLibTorchSharpNeeds()
    {
        var needs = ElfSymbolVersions.ReadNeeds(File.ReadAllBytes(OriginalLibrary));
        Assert.Contains(needs, n => n.File == "libstdc++.so.6" && n.Version == "GLIBCXX_3.4.32");
        Assert.Contains(needs, n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5");
    }

    private static bool HostHasGlibcxx3432()
    {
        string path = File.ReadLines("/proc/self/maps").Select(l => l[(l.IndexOf('/') is var i && i >= 0 ? i : l.Length)..].Trim())
            .First(p => Path.GetFileName(p).StartsWith("libstdc++.so.6", StringComparison.Ordinal));
        return ElfSymbolVersions.ReadDefinitions(File.ReadAllBytes(path)).Contains("GLIBCXX_3.4.32");
    }
}
