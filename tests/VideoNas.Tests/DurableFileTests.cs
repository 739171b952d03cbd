using VideoNas.Core;

namespace VideoNas.Tests;

public class DurableFileTests
{
    [Fact]
    public void AReplacementLandsWholeAndAFailedOneLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder("videonas-durable-");
        DurableFile.Replace(folder["genotype.json"], "old");
        DurableFile.Replace(folder["genotype.json"], "new");
        Assert.Equal("new", File.ReadAllText(folder["genotype.json"]));

        // The target is a folder: the rename fails, and the temporary file must not stay behind.
        Directory.CreateDirectory(folder["alphas.json"]);
        Assert.ThrowsAny<IOException>(() => DurableFile.Replace(folder["alphas.json"], "{}"));
        Assert.Equal([folder["alphas.json"], folder["genotype.json"]], Directory.GetFileSystemEntries(folder.Path).Order());
    }
}
