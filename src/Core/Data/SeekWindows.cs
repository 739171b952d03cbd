namespace VideoNas.Core.Data;

/// <summary>
/// Groups the frames a load wants into runs that are worth a seek each: a gap of at least
/// <see cref="MinGap"/> frames starts a new run. TSN's K segments usually give K runs.
/// </summary>
public static class SeekWindows
{
    /// <summary>Below this many frames, decoding through the gap costs less than seeking (a seek restarts at a keyframe).</summary>
    public const int MinGap = 24;

    /// <param name="frames">Ascending, distinct frame indices.</param>
    public static List<int[]> Of(IReadOnlyList<int> frames, int minGap = MinGap)
    {
        var windows = new List<int[]>();
        var current = new List<int>();
        foreach (int f in frames)
        {
            if (current.Count > 0 && f - current[^1] >= minGap)
            {
                windows.Add([.. current]);
                current.Clear();
            }
            current.Add(f);
        }
        if (current.Count > 0) windows.Add([.. current]);
        return windows;
    }

    /// <summary>Whether seeking saves anything: more than one run, or one that starts past the first gap.</summary>
    public static bool Worthwhile(IReadOnlyList<int[]> windows, int minGap = MinGap) => windows.Count > 1 || (windows.Count == 1 && windows[0][0] >= minGap);
}
