using Orleans.Storage;
using VideoNas.Grains;
using VideoNas.Grains.Storage;
using VideoNas.Silo;

namespace VideoNas.Tests;

/// <summary>One process per state folder, and no grain write over another writer's update.</summary>
public class StateFolderTests
{
    [Fact]
    public async Task AWriteBasedOnAnOlderReadIsRefused()
    {
        using var folder = new TempFolder("videonas-etag-");
        var id = GrainId.Create("trial", "shared");
        var first = new GrainState<TrialRecord>(new TrialRecord { Epochs = 1 });
        await new FileGrainStorage(folder.Path).WriteStateAsync("trial", id, first);

        // Two storages (two processes) read the same version; the first to write wins, the second is refused.
        var a = new GrainState<TrialRecord>();
        var b = new GrainState<TrialRecord>();
        await new FileGrainStorage(folder.Path).ReadStateAsync("trial", id, a);
        await new FileGrainStorage(folder.Path).ReadStateAsync("trial", id, b);
        a.State!.Epochs = 2;
        await new FileGrainStorage(folder.Path).WriteStateAsync("trial", id, a);
        b.State!.Epochs = 3;
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => new FileGrainStorage(folder.Path).WriteStateAsync("trial", id, b));
        Assert.Contains("written by someone else", refused.Message);

        var read = new GrainState<TrialRecord>();
        await new FileGrainStorage(folder.Path).ReadStateAsync("trial", id, read);
        Assert.Equal(2, read.State!.Epochs);
        // A grain that never read the record may not overwrite it either.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            new FileGrainStorage(folder.Path).WriteStateAsync("trial", id, new GrainState<TrialRecord>(new TrialRecord())));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ASecondEmbeddedSiloOnTheSameFolderIsRefusedNamingIt()
    {
        using var folder = new TempFolder("videonas-lock-");
        await using (var first = await EmbeddedSilo.StartAsync(folder.Path))
        {
            var e = await Assert.ThrowsAsync<IOException>(() => EmbeddedSilo.StartAsync(folder.Path));
            Assert.Contains($"{folder.Path}: another VideoNas process is using this state folder", e.Message);
        }
        // Released with the first silo.
        await using var again = await EmbeddedSilo.StartAsync(folder.Path);
    }
}
