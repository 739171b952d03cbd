namespace VideoNas.Core;

/// <summary>
/// Paths a silo accepts from callers only inside configured roots: ".." is resolved, and so is the path's
/// own symbolic link, so neither walks out of a root.
/// </summary>
public static class ConfinedPath
{
    /// <summary>The full path, if it lies in one of <paramref name="roots"/>; otherwise an error naming the setting and its roots.</summary>
    public static string Require(string path, IReadOnlyList<string> roots, string what, string setting)
    {
        string full = Resolve(path);
        foreach (var root in roots.Select(Resolve))
            if (full == root || full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)) return full;
        throw new ArgumentException($"{what} {path} is outside {setting} ({string.Join(", ", roots)}); this silo reads and writes only there");
    }

    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        return info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)!.FullName : full;
    }
}
