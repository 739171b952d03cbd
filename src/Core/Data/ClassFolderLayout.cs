using System.Text.RegularExpressions;
using VideoNas.Core.Search;

namespace VideoNas.Core.Data;

/// <summary>
/// A plain folder of class sub-folders holding video files, without list files. Classes are the
/// sub-folders in ordinal order (an empty one stays a class, which <c>dataset check</c> reports). Clips are split into three folds by seed, a whole group at a time:
/// where names carry UCF101's <c>_gXX_</c>, every clip of a group lands in the same fold, so the same
/// actor or scene never appears on both sides; otherwise each clip is its own group. Split s tests on
/// fold s and trains on the other two, as UCF101's official splits do.
/// </summary>
public static partial class ClassFolderLayout
{
    public const string Name = "class-folders";

    public static readonly IReadOnlySet<string> VideoExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".avi", ".mp4", ".mkv", ".webm", ".mov", ".mpg", ".mpeg", ".m4v" };

    public static bool Recognises(string root) => ClassFolders(root).Any(dir => Videos(dir).Any());

    public static VideoDataset Load(string root, int split = 1, int seed = 0)
    {
        if (split is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(split), $"split must be 1, 2 or 3, got {split}");
        var classDirs = ClassFolders(root);
        if (classDirs.Count == 0) throw new FormatException($"{root}: no class folders (expected <root>/<Class>/<clip>.avi)");
        var classes = classDirs.Select(Path.GetFileName).ToList();
        var train = new List<ClipEntry>();
        var test = new List<ClipEntry>();
        for (int label = 0; label < classDirs.Count; label++)
        {
            var clips = Videos(classDirs[label]).Select(f => $"{classes[label]}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal).ToList();
            var groups = clips.Select(GroupOf).Distinct().Order(StringComparer.Ordinal).ToArray();
            SeedStream.For(seed, StableHash(classes[label]!), 0).Shuffle(groups);
            var testGroups = groups.Where((_, i) => i % 3 == split - 1).ToHashSet(StringComparer.Ordinal);
            foreach (var clip in clips) (testGroups.Contains(GroupOf(clip)) ? test : train).Add(new ClipEntry(clip, label));
        }
        return new VideoDataset(root, classes!, train, test, ClipFormat.Video, Name);
    }

    /// <summary>"Class/gXX" for UCF101-style names, else the clip itself.</summary>
    public static string GroupOf(string relativeClip)
    {
        var m = GroupPattern().Match(Path.GetFileName(relativeClip));
        return m.Success ? $"{relativeClip.Split('/')[0]}/g{m.Groups[1].Value}" : relativeClip;
    }

    private static List<string> ClassFolders(string root) =>
        Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];

    private static IEnumerable<string> Videos(string dir) =>
        Directory.EnumerateFiles(dir).Where(f => VideoExtensions.Contains(Path.GetExtension(f)));

    // string.GetHashCode and HashCode.Combine are randomised per process; the split must not be.
    private static int StableHash(string s) => s.Aggregate(17, (h, c) => unchecked(h * 31 + c));

    [GeneratedRegex(@"_g(\d+)_")]
    private static partial Regex GroupPattern();
}
