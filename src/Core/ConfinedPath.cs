namespace VideoNas.Core;

/// <summary>
/// Paths a silo accepts from callers only inside configured roots: ".." and every symbolic link on the
/// way (the path's own and its folders') are resolved first, so neither walks out of a root.
/// </summary>
public static class ConfinedPath
{
    /// <summary>The full path, if it lies in one of <paramref name="roots"/>; otherwise an error naming the setting and its roots.</summary>
    public static string Require(string path, IReadOnlyList<string> roots, string what, string setting)
    {
        return Within(path, roots) is { } full ? full
            : throw new ArgumentException($"{what} {path} is outside {setting} ({string.Join(", ", roots)}); this silo reads and writes only there");
    }

    /// <summary>The real path of <paramref name="path"/> if it lies in one of <paramref name="roots"/>, else null.</summary>
    public static string? Within(string path, IReadOnlyList<string> roots)
    {
        string full = RealPath(path);
        return roots.Select(RealPath).Any(root => full == root || full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal)) ? full : null;
    }

    /// <summary>The path with every symbolic link along it followed, as realpath(3) gives it; parts that do not exist yet are kept.</summary>
    public static string RealPath(string path)
    {
        string current = Path.GetPathRoot(Path.GetFullPath(path))!;
        foreach (var part in Path.GetFullPath(path)[current.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null) current = info.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        }
        return current;
    }
}
