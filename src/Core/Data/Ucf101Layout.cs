namespace VideoNas.Core.Data;

/// <summary>
/// Reads the UCF101 layout as shipped: <c>ucfTrainTestlist/classInd.txt</c> ("index name", 1-based),
/// <c>trainlist0N.txt</c> ("path label") and <c>testlist0N.txt</c> ("path"; label from the class folder).
/// CRLF or LF. Errors name the file and line; paths may not leave the root.
/// </summary>
public static class Ucf101Layout
{
    public const string ListFolder = "ucfTrainTestlist";
    public const string Name = "ucf101";

    public static bool Recognises(string root) => Directory.Exists(Path.Combine(root, ListFolder));

    /// <param name="onBadLine">
    /// When given, a malformed list line is reported through it (its message names file and line) and
    /// skipped; otherwise the first one throws.
    /// </param>
    public static VideoDataset Load(string root, int split = 1, Action<string>? onBadLine = null)
    {
        if (split is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(split), $"split must be 1, 2 or 3, got {split}");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: dataset root not found");
        string lists = Path.Combine(root, ListFolder);
        var classes = ReadClassIndex(Path.Combine(lists, "classInd.txt"));
        var byName = classes.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var train = ReadList(root, Path.Combine(lists, $"trainlist0{split}.txt"), byName, labelled: true, onBadLine);
        var test = ReadList(root, Path.Combine(lists, $"testlist0{split}.txt"), byName, labelled: false, onBadLine);
        return new VideoDataset(root, classes, train, test);
    }

    public static List<string> ReadClassIndex(string path)
    {
        var classes = new List<string>();
        foreach (var (line, number) in Lines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], out int index))
                throw new FormatException($"{path}:{number}: expected \"index name\", got \"{line}\"");
            if (index != classes.Count + 1)
                throw new FormatException($"{path}:{number}: expected index {classes.Count + 1}, got {index}");
            classes.Add(parts[1]);
        }
        if (classes.Count == 0) throw new FormatException($"{path}: no classes");
        return classes;
    }

    private static List<ClipEntry> ReadList(string root, string path, Dictionary<string, int> byName, bool labelled, Action<string>? onBadLine)
    {
        var clips = new List<ClipEntry>();
        foreach (var (line, number) in Lines(path))
        {
            try
            {
                clips.Add(ParseListLine(root, $"{path}:{number}", line, byName, labelled));
            }
            catch (FormatException e) when (onBadLine is not null)
            {
                onBadLine(e.Message);
            }
        }
        return clips;
    }

    private static ClipEntry ParseListLine(string root, string where, string line, Dictionary<string, int> byName, bool labelled)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string relative = parts[0];
        CheckInsideRoot(root, relative, where);
        string className = relative.Split('/', 2)[0];
        if (!byName.TryGetValue(className, out int folderLabel))
            throw new FormatException($"{where}: class folder \"{className}\" is not in classInd.txt");
        if (!labelled) return new ClipEntry(relative, folderLabel);
        if (parts.Length < 2 || !int.TryParse(parts[1], out int oneBased))
            throw new FormatException($"{where}: expected \"path label\", got \"{line}\"");
        if (oneBased - 1 != folderLabel)
            throw new FormatException($"{where}: label {oneBased} disagrees with classInd.txt, where \"{className}\" is {folderLabel + 1}");
        return new ClipEntry(relative, folderLabel);
    }

    public static void CheckInsideRoot(string root, string relative, string where)
    {
        if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
            throw new FormatException($"{where}: \"{relative}\" leaves the dataset root; only paths under it are read");
    }

    /// <summary>The non-blank lines of a list file, trimmed (CRLF or LF), with their 1-based numbers.</summary>
    public static IEnumerable<(string Line, int Number)> Lines(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: split file not found", path);
        int number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length > 0) yield return (line, number);
        }
    }
}
