namespace VideoNas.Nas;

/// <summary>Per-user cache folders: an explicit variable, else $XDG_CACHE_HOME/videonas/NAME, else ~/.cache/videonas/NAME.</summary>
public static class UserCache
{
    public static string Folder(string name, string overrideVariable)
    {
        string? explicitDir = Environment.GetEnvironmentVariable(overrideVariable);
        if (!string.IsNullOrEmpty(explicitDir)) return explicitDir;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "videonas", name);
    }
}
