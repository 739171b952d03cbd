using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VideoNas.Core.Data;

/// <summary>
/// Decoded clips on disk, one file per clip and short side: a header (magic, frames, width, height) and
/// the raw RGB24 frames. A load reads only the frames it samples, so a dataset far larger than memory
/// (UCF101 at 128 px is about 160 GB decoded) is decoded once and then read, never decoded again. A
/// file is named after the clip's path, size and modification time and the short side, so a changed
/// clip is decoded afresh; files are written to a temporary name and renamed, so a crash leaves none
/// half-written. With a cap, the files stored or found longest ago go once the folder would hold more.
/// </summary>
public sealed class DiskClipCache(string directory, int shortSide, long maxBytes = 0)
{
    private readonly Lock _accounting = new();
    private long? _bytes;
    private static readonly byte[] Magic = "VNCLIP01"u8.ToArray();
    private const int HeaderBytes = 8 + 3 * 4;

    public string Directory { get; } = directory;

    /// <summary>A cached clip: its file and what its header says.</summary>
    public sealed record Entry(string File, int Frames, int Width, int Height);

    /// <summary>The cached clip, or null when it is not cached (or its file is unusable).</summary>
    public Entry? Find(string clipPath)
    {
        string path = FileOf(clipPath);
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> head = stackalloc byte[HeaderBytes];
            file.ReadExactly(head);
            if (!head[..8].SequenceEqual(Magic)) return null;
            var entry = new Entry(path, BinaryPrimitives.ReadInt32LittleEndian(head[8..]), BinaryPrimitives.ReadInt32LittleEndian(head[12..]), BinaryPrimitives.ReadInt32LittleEndian(head[16..]));
            if (file.Length != HeaderBytes + (long)entry.Frames * entry.Width * entry.Height * 3) return null;
            // Its time says when it was last used, for the cap's eviction.
            if (maxBytes > 0) File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return entry;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>The given frames (ascending, distinct) of a cached clip.</summary>
    public static DecodedVideo Read(Entry entry, IReadOnlyList<int> frames)
    {
        int frameBytes = entry.Width * entry.Height * 3;
        var rgb = new byte[frames.Count * frameBytes];
        using var file = new FileStream(entry.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i] < 0 || frames[i] >= entry.Frames) throw new ArgumentOutOfRangeException(nameof(frames), $"frame {frames[i]} of {entry.Frames}");
            file.Position = HeaderBytes + (long)frames[i] * frameBytes;
            file.ReadExactly(rgb, i * frameBytes, frameBytes);
        }
        return new DecodedVideo(rgb, frames.Count, entry.Width, entry.Height);
    }

    /// <summary>Writes the clip's file and returns its entry.</summary>
    public Entry Store(string clipPath, DecodedVideo video)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string target = FileOf(clipPath), temporary = $"{target}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            using (var file = File.Create(temporary))
            {
                Span<byte> head = stackalloc byte[HeaderBytes];
                Magic.CopyTo(head);
                BinaryPrimitives.WriteInt32LittleEndian(head[8..], video.Frames);
                BinaryPrimitives.WriteInt32LittleEndian(head[12..], video.Width);
                BinaryPrimitives.WriteInt32LittleEndian(head[16..], video.Height);
                file.Write(head);
                file.Write(video.Rgb, 0, video.Frames * video.FrameBytes);
            }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            // A full disk or a failed rename leaves no temporary file to fill it further.
            File.Delete(temporary);
        }
        if (maxBytes > 0) KeepWithinCap(target, HeaderBytes + (long)video.Frames * video.FrameBytes);
        return new Entry(target, video.Frames, video.Width, video.Height);
    }

    /// <summary>Deletes the files stored or found longest ago (never <paramref name="keep"/>) until the folder fits the cap.</summary>
    private void KeepWithinCap(string keep, long stored)
    {
        lock (_accounting)
        {
            // A running total, so the folder is listed only when the cap is reached (or first), not at every store.
            _bytes += stored;
            if (_bytes <= maxBytes) return;
            var files = new DirectoryInfo(Directory).GetFiles("*.vnclip").OrderBy(f => f.LastWriteTimeUtc).ToList();
            long total = files.Sum(f => f.Length);
            string kept = Path.GetFullPath(keep);
            foreach (var file in files.Where(f => f.FullName != kept))
            {
                if (total <= maxBytes) break;
                total -= file.Length;
                file.Delete();
            }
            _bytes = total;
        }
    }

    private string FileOf(string clipPath)
    {
        // A rawframes clip is a folder: its modification time changes when frames are added or removed.
        FileSystemInfo info = File.Exists(clipPath) ? new FileInfo(clipPath) : new DirectoryInfo(clipPath);
        long size = info is FileInfo f ? f.Length : 0;
        string key = $"{Path.GetFullPath(clipPath)}|{size}|{info.LastWriteTimeUtc.Ticks}|{shortSide}";
        return Path.Combine(Directory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32].ToLowerInvariant() + ".vnclip");
    }
}
