using System.Runtime.InteropServices;
using System.Text;

namespace VideoNas.Core;

/// <summary>
/// Replaces a file so that after a crash or power loss it holds the old content or the new, never half
/// and never nothing: a temporary file is written and flushed to the disk, renamed over the target, and the
/// folder is flushed so the rename itself is on the disk. A failed write leaves no temporary file behind.
/// </summary>
public static partial class DurableFile
{
    public static void Replace(string path, string content) => Replace(path, Encoding.UTF8.GetBytes(content));

    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        FlushFolder(folder);
    }

    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    private static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, ReadOnlyDirectory);
        if (fd < 0) return; // a folder that cannot be opened cannot be flushed; the rename still happened
        // Best effort: a file system that cannot flush a folder (some network mounts) still has the rename.
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
