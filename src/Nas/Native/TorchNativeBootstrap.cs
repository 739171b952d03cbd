using System.Runtime.InteropServices;

namespace VideoNas.Nas.Native;

/// <summary>
/// Makes TorchSharp load on hosts whose libstdc++ is older than the one LibTorchSharp was built
/// against (Debian 12 and Ubuntu 22.04 lack GLIBCXX_3.4.32). The only symbol needing that version
/// is never relocated against, so a copy of the library with the missing versions marked weak
/// loads and works. The copy lives in a cache folder; the NuGet cache and build output stay untouched.
/// Once the copy is loaded, TorchSharp's own probe by name finds it through its soname.
/// </summary>
public static class TorchNativeBootstrap
{
    public const string LibTorchSharp = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";
    private static readonly object Gate = new();
    private static BootstrapOutcome? _outcome;

    public enum Action { NotLinux, NotNeeded, LoadedPatchedCopy }

    public sealed record BootstrapOutcome(Action Action, string? LoadedPath, IReadOnlyList<string> WeakenedVersions);

    /// <summary>Idempotent; call before the first torch call in the process.</summary>
    public static BootstrapOutcome EnsureLoaded()
    {
        lock (Gate)
        {
            return _outcome ??= Run();
        }
    }

    private static BootstrapOutcome Run()
    {
        if (!OperatingSystem.IsLinux()) return new(Action.NotLinux, null, []);
        string nativeDir = FindNativeDirectory();
        // libtorch brings libstdc++ into the process, so the one the loader will bind to is known.
        NativeLibrary.Load(Path.Combine(nativeDir, "libtorch.so"));
        string original = Path.Combine(nativeDir, LibTorchSharp);
        string hostStdCxx = MappedLibraryPath(StdCxx)
            ?? throw new InvalidOperationException($"{StdCxx} is not mapped after loading libtorch.so from {nativeDir}");

        var missing = MissingVersions(File.ReadAllBytes(original), File.ReadAllBytes(hostStdCxx));
        if (missing.Count == 0) return new(Action.NotNeeded, null, []);

        string copy = PreparePatchedCopy(original, missing, CacheDirectory());
        NativeLibrary.Load(copy);
        return new(Action.LoadedPatchedCopy, copy, missing.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The libstdc++ versions <paramref name="library"/> needs and <paramref name="stdcxx"/> lacks.</summary>
    public static IReadOnlySet<string> MissingVersions(byte[] library, byte[] stdcxx)
    {
        var defined = ElfSymbolVersions.ReadDefinitions(stdcxx);
        return ElfSymbolVersions.ReadNeeds(library)
            .Where(n => n.File == StdCxx && !defined.Contains(n.Version))
            .Select(n => n.Version)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes (once, atomically) a copy of <paramref name="original"/> with <paramref name="missing"/>
    /// marked weak, under a name keyed by the original's content so a package upgrade gets a new copy.
    /// </summary>
    public static string PreparePatchedCopy(string original, IReadOnlySet<string> missing, string cacheDir)
    {
        byte[] bytes = File.ReadAllBytes(original);
        string key = ShortHash.Of(bytes);
        string dir = Path.Combine(cacheDir, key);
        string target = Path.Combine(dir, LibTorchSharp);
        if (File.Exists(target)) return target;

        if (ElfSymbolVersions.MarkWeak(bytes, StdCxx, missing) == 0)
            throw new InvalidOperationException($"{original}: none of {string.Join(", ", missing)} could be marked weak");
        Directory.CreateDirectory(dir);
        string temp = target + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    public static string CacheDirectory() => UserCache.Folder("native", "VIDEONAS_NATIVE_CACHE");

    public static string FindNativeDirectory()
    {
        string baseDir = AppContext.BaseDirectory;
        string[] candidates = [baseDir, Path.Combine(baseDir, "runtimes", "linux-x64", "native")];
        foreach (var dir in candidates)
            if (File.Exists(Path.Combine(dir, LibTorchSharp)) && File.Exists(Path.Combine(dir, "libtorch.so")))
                return dir;
        throw new FileNotFoundException(
            $"{LibTorchSharp} and libtorch.so were not found in {string.Join(" or ", candidates)}; " +
            "is the TorchSharp backend package (libtorch-cpu-linux-x64 or TorchSharp-cuda-linux) referenced?");
    }

    private static string? MappedLibraryPath(string soname)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith(soname, StringComparison.Ordinal))
                return line[slash..].Trim();
        }
        return null;
    }
}
