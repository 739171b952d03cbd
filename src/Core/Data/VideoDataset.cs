namespace VideoNas.Core.Data;

/// <summary>How a dataset stores its clips: video files, or a folder of JPEG frames per clip (TSN/MMAction "rawframes").</summary>
public enum ClipFormat { Video, RawFrames }

/// <summary>
/// A clip of a dataset: its path relative to the root (a video file, or a frame folder), its 0-based
/// label, and its frame count where the list file states it (rawframes), else 0.
/// </summary>
public sealed record ClipEntry(string RelativePath, int Label, int Frames = 0);

/// <summary>One split of a dataset: class names (index = label) and the train and test clips.</summary>
public sealed record VideoDataset(
    string Root, IReadOnlyList<string> Classes, IReadOnlyList<ClipEntry> Train, IReadOnlyList<ClipEntry> Test,
    ClipFormat Format = ClipFormat.Video, string Layout = Ucf101Layout.Name)
{
    /// <summary>The clip's path; a clip that a symbolic link takes out of the root fails as a bad clip would.</summary>
    public string FullPath(ClipEntry clip)
    {
        string path = Path.Combine(Root, clip.RelativePath);
        return ConfinedPath.Within(path, [Root]) is not null ? path
            : throw new VideoDecodeException(path, $"a symbolic link leads out of the dataset root {Root}");
    }
}
