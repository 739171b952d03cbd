namespace VideoNas.Core.Data;

/// <summary>A clip of a dataset: its path relative to the root and its 0-based label.</summary>
public sealed record ClipEntry(string RelativePath, int Label);

/// <summary>One split of a dataset: class names (index = label) and the train and test clips.</summary>
public sealed record VideoDataset(string Root, IReadOnlyList<string> Classes, IReadOnlyList<ClipEntry> Train, IReadOnlyList<ClipEntry> Test)
{
    public string FullPath(ClipEntry clip) => Path.Combine(Root, clip.RelativePath);
}
