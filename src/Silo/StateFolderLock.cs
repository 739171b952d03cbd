namespace VideoNas.Silo;

/// <summary>
/// One embedded silo per state folder: a second process on the same folder would run the same trials and
/// overwrite the first one's grain state. The lock is an exclusive open of <c>.lock</c> in the folder,
/// which .NET backs with flock, so it is released whenever the process ends, however it ends.
/// </summary>
public sealed class StateFolderLock : IDisposable
{
    private readonly FileStream _file;

    private StateFolderLock(FileStream file) => _file = file;

    public static StateFolderLock Acquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        string path = Path.Combine(stateDirectory, ".lock");
        try
        {
            return new StateFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"{Path.GetFullPath(stateDirectory)}: another VideoNas process is using this state folder; " +
                "wait for it to end or give this one another --state", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
