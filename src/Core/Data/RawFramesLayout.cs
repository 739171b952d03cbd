using System.Globalization;
using System.Text;

namespace VideoNas.Core.Data;

/// <summary>
/// Pre-extracted frames as TSN and MMAction lay them out: a folder of JPEGs per clip
/// (<c>img_00001.jpg</c>, 1-based) and list files <c>&lt;name&gt;_train_split_N_rawframes.txt</c> and
/// <c>&lt;name&gt;_val_split_N_rawframes.txt</c> in the root, one line per clip: <c>relative/dir num_frames label</c>
/// with 0-based labels. Class names come from an optional <c>classInd.txt</c> (in the root or
/// <c>annotations/</c>), else from the clips' top folder, else "class_N". Errors name the file and line.
/// </summary>
public static class RawFramesLayout
{
    public const string Name = "rawframes";
    public const string FramePattern = "img_{0:00000}.jpg";

    /// <summary>Eleven hours at 25 fps: more is a broken list line, and would be allocated as frame indices.</summary>
    public const int MaxFrames = 1_000_000;

    private static readonly CompositeFormat FrameFormat = CompositeFormat.Parse(FramePattern);

    public static string FrameFile(int zeroBasedIndex) => string.Format(CultureInfo.InvariantCulture, FrameFormat, zeroBasedIndex + 1);

    public static bool Recognises(string root) => Directory.Exists(root) && Directory.EnumerateFiles(root, "*_rawframes.txt").Any();

    public static VideoDataset Load(string root, int split = 1, Action<string>? onBadLine = null)
    {
        if (split is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(split), $"split must be 1, 2 or 3, got {split}");
        var classInd = new[] { Path.Combine(root, "classInd.txt"), Path.Combine(root, "annotations", "classInd.txt") }.FirstOrDefault(File.Exists);
        var named = classInd is null ? null : Ucf101Layout.ReadClassIndex(classInd);
        var train = ReadList(root, ListFile(root, "train", split), named, onBadLine);
        var test = ReadList(root, ListFile(root, "val", split), named, onBadLine);
        var classes = named ?? InferClasses(train.Concat(test).ToList());
        return new VideoDataset(root, classes, train, test, ClipFormat.RawFrames, Name);
    }

    private static string ListFile(string root, string part, int split)
    {
        string suffix = $"_{part}_split_{split}_rawframes.txt";
        var found = Directory.EnumerateFiles(root, "*" + suffix).Order(StringComparer.Ordinal).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw new FileNotFoundException($"{root}: split file *{suffix} not found", Path.Combine(root, "*" + suffix)),
            _ => throw new FormatException($"{root}: several split files match *{suffix}: {string.Join(", ", found.Select(Path.GetFileName))}"),
        };
    }

    private static List<ClipEntry> ReadList(string root, string path, List<string>? classes, Action<string>? onBadLine)
    {
        var clips = new List<ClipEntry>();
        foreach (var (line, number) in Ucf101Layout.Lines(path))
        {
            try
            {
                clips.Add(ParseLine(root, $"{path}:{number}", line, classes));
            }
            catch (FormatException e) when (onBadLine is not null)
            {
                onBadLine(e.Message);
            }
        }
        return clips;
    }

    private static ClipEntry ParseLine(string root, string where, string line, List<string>? classes)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !int.TryParse(parts[1], out int frames) || !int.TryParse(parts[2], out int label))
            throw new FormatException($"{where}: expected \"relative/dir num_frames label\", got \"{line}\"");
        string relative = parts[0].TrimEnd('/');
        Ucf101Layout.CheckInsideRoot(root, relative, where);
        if (frames is < 1 or > MaxFrames) throw new FormatException($"{where}: \"{relative}\" lists {frames} frames; a clip has 1 to {MaxFrames}");
        if (label < 0 || (classes is not null && label >= classes.Count))
            throw new FormatException($"{where}: label {label} is outside 0..{(classes?.Count ?? int.MaxValue) - 1}");
        string folder = relative.Split('/')[0];
        if (classes is not null && relative.Contains('/') && classes.IndexOf(folder) is >= 0 and var byFolder && byFolder != label)
            throw new FormatException($"{where}: label {label} disagrees with classInd.txt, where \"{folder}\" is {byFolder} (0-based)");
        return new ClipEntry(relative, label, frames);
    }

    private static List<string> InferClasses(List<ClipEntry> clips)
    {
        int count = clips.Count == 0 ? 0 : clips.Max(c => c.Label) + 1;
        return Enumerable.Range(0, count).Select(label =>
        {
            var folders = clips.Where(c => c.Label == label && c.RelativePath.Contains('/')).Select(c => c.RelativePath.Split('/')[0]).Distinct().ToList();
            return folders.Count == 1 ? folders[0] : $"class_{label}";
        }).ToList();
    }
}
