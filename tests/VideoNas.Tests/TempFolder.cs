namespace VideoNas.Tests;

/// <summary>A fresh folder under the temp directory, deleted with everything in it when disposed.</summary>
public sealed class TempFolder(string prefix = "videonas-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
