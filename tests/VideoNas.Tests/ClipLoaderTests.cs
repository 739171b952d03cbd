using VideoNas.Core.Data;
using VideoNas.Nas.Data;

namespace VideoNas.Tests;

public class ClipLoaderTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private VideoDataset Dataset => Ucf101Layout.Load(data.Root, 1);

    [Fact]
    public void DecodingChosenFramesGivesExactlyThoseFramesOfAFullDecode()
    {
        string path = Dataset.FullPath(Dataset.Train[0]);
        var full = Ffmpeg.Decode(path, 0);
        var chosen = Ffmpeg.Decode(path, 0, [0, 3, 10, 11]);
        Assert.Equal((4, 24, 24), (chosen.Frames, chosen.Width, chosen.Height));
        int[] wanted = [0, 3, 10, 11];
        for (int i = 0; i < wanted.Length; i++) Assert.True(full.Frame(wanted[i]).SequenceEqual(chosen.Frame(i)), $"frame {wanted[i]}");
        Assert.Equal(12, Ffprobe.Header(path).Frames);
    }

    [Fact]
    public void SeekingToEachSegmentGivesTheFramesAFullDecodeGives()
    {
        Assert.Equal([[3, 4], [60, 61, 70], [180]], SeekWindows.Of([3, 4, 60, 61, 70, 180]));
        Assert.False(SeekWindows.Worthwhile(SeekWindows.Of([0, 1, 20])));
        Assert.True(SeekWindows.Worthwhile(SeekWindows.Of([30, 31])));

        // 200 frames with a keyframe every 12: each seek lands on a keyframe before its run and decodes forward.
        using var pathFolder = new TempFolder("videonas-seek-");
        string path = Path.Combine(pathFolder.Path, "long.avi");
        Assert.Equal(0, DatasetLayoutTests.RunFfmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-frames:v", "200", "-c:v", "mpeg4", "-g", "12", path));
        int[] wanted = [3, 4, 60, 61, 125, 126, 198, 199];
        var full = Ffmpeg.Decode(path, 24);
        var sought = Ffmpeg.DecodeSeeking(path, 24, wanted, fps: 25);
        Assert.Equal((8, 32, 24), (sought.Frames, sought.Width, sought.Height));
        for (int i = 0; i < wanted.Length; i++) Assert.True(full.Frame(wanted[i]).SequenceEqual(sought.Frame(i)), $"frame {wanted[i]}");
    }

    [Fact]
    public void TheShortSideIsScaledAndTheAspectRatioKept()
    {
        using var pathFolder = new TempFolder("videonas-wide-");
        string path = Path.Combine(pathFolder.Path, "wide.avi");
        Assert.Equal(0, DatasetLayoutTests.RunFfmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-frames:v", "5", "-c:v", "mpeg4", path));
        var video = Ffmpeg.Decode(path, 24);
        Assert.Equal((5, 32, 24), (video.Frames, video.Width, video.Height));

        // A centre crop of a wide clip is square and its input size.
        var dataset = new VideoDataset(Path.GetDirectoryName(path)!, ["A"], [new ClipEntry("wide.avi", 0)], []);
        var clip = new ClipLoader(dataset, new ClipSampling(1, 2, 1, 16, ShortSide: 24)).Test(dataset.Train[0], 1)![0];
        Assert.Equal((2, 16, 16 * 16 * 3 * 2), (clip.Frames, clip.Size, clip.Rgb.Length));
    }

    [Fact]
    public void WithAndWithoutTheCacheASeedGivesTheSameClip()
    {
        var sampling = new ClipSampling(2, 2, 1, 16, ShortSide: 20, MultiScaleCrop: true, Flip: true);
        var cached = new ClipLoader(Dataset, sampling, cache: true);
        var direct = new ClipLoader(Dataset, sampling, cache: false);
        foreach (var (clip, seed) in Dataset.Train.Take(4).Select((c, i) => (c, 40 + i)))
            Assert.Equal(cached.Train(clip, seed)!.Rgb, direct.Train(clip, seed)!.Rgb);
        // Another seed moves the crop or the frames.
        Assert.NotEqual(cached.Train(Dataset.Train[0], 1)!.Rgb, cached.Train(Dataset.Train[0], 2)!.Rgb);

        var batch = direct.TrainBatch(Dataset.Train.Take(4).Select((c, i) => (c, 40 + i)).ToList());
        Assert.Equal(Dataset.Train.Take(4), batch.Select(b => b.Clip));
        Assert.Equal(cached.Train(Dataset.Train[3], 43)!.Rgb, batch[3].Sample.Rgb);
    }

    [Fact]
    public void TheMemoryCacheStaysWithinItsBudgetAndWhatItDropsComesBackTheSame()
    {
        var sampling = new ClipSampling(2, 2, 1, 16, ShortSide: 20);
        var clips = Dataset.Train.Take(4).ToList();
        var unbounded = new ClipLoader(Dataset, sampling);
        unbounded.Warm(clips);
        long oneClip = unbounded.CachedBytes / clips.Count;
        // Room for about one and a half clips: every new clip pushes the least recently used one out.
        var bounded = new ClipLoader(Dataset, sampling, cacheBudgetBytes: oneClip * 3 / 2);
        for (int round = 0; round < 2; round++)
            foreach (var (clip, seed) in clips.Select((c, i) => (c, 11 + i)))
            {
                Assert.Equal(unbounded.Train(clip, seed)!.Rgb, bounded.Train(clip, seed)!.Rgb);
                Assert.True(bounded.CachedBytes <= bounded.CacheBudgetBytes, $"{bounded.CachedBytes} bytes cached, budget {bounded.CacheBudgetBytes}");
            }
        Assert.Equal(2 * clips.Count, bounded.Decodes);
        Assert.Equal(clips.Count, unbounded.Decodes);
    }

    [Fact]
    public void TheDiskCacheStaysWithinItsCapAndWhatItDropsComesBackTheSame()
    {
        using var dir = new TempFolder("videonas-clipcache-cap-");
        var sampling = new ClipSampling(2, 2, 1, 16, ShortSide: 20);
        var clips = Dataset.Train.Take(4).ToList();
        var memory = new ClipLoader(Dataset, sampling);
        memory.Warm(clips);
        long oneClip = memory.CachedBytes / clips.Count;
        var capped = new ClipLoader(Dataset, sampling, cacheDirectory: dir.Path, diskCacheBytes: oneClip * 5 / 2);
        for (int round = 0; round < 2; round++)
            foreach (var (clip, seed) in clips.Select((c, i) => (c, 21 + i)))
            {
                Assert.Equal(memory.Train(clip, seed)!.Rgb, capped.Train(clip, seed)!.Rgb);
                long held = Directory.GetFiles(dir.Path, "*.vnclip").Sum(f => new FileInfo(f).Length);
                Assert.True(held <= oneClip * 5 / 2 + 64, $"{held} bytes on disk, cap {oneClip * 5 / 2}");
            }
        // A second loader of the same folder finds what the cap kept (the clip stored last is never dropped)
        // and stores again what it dropped.
        var later = new ClipLoader(Dataset, sampling, cacheDirectory: dir.Path, diskCacheBytes: oneClip * 5 / 2);
        Assert.Equal(memory.Train(clips[^1], 31)!.Rgb, later.Train(clips[^1], 31)!.Rgb);
        Assert.Equal(0, later.Decodes);
        foreach (var (clip, seed) in clips.Select((c, i) => (c, 41 + i)))
            Assert.Equal(memory.Train(clip, seed)!.Rgb, later.Train(clip, seed)!.Rgb);
        Assert.InRange(later.Decodes, 1, clips.Count);
    }

    [Fact]
    public void AFailedDiskCacheWriteLeavesNoTemporaryFile()
    {
        using var dir = new TempFolder("videonas-clipcache-fail-");
        var cache = new DiskClipCache(dir.Path, 20);
        var video = new DecodedVideo(new byte[2 * 2 * 3], 1, 2, 2);
        string clip = Dataset.FullPath(Dataset.Train[0]);
        var entry = cache.Store(clip, video);
        // Its file's place taken by a folder: the rename fails.
        File.Delete(entry.File);
        Directory.CreateDirectory(entry.File);
        Assert.ThrowsAny<IOException>(() => cache.Store(clip, video));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void AClipTooLargeToDecodeIsABadClipFoundBeforeAllocating()
    {
        using var stream = new MemoryStream("P6\n40000 40000\n255\n"u8.ToArray());
        var e = Assert.Throws<VideoDecodeException>(() => PpmFrameReader.ReadAll(stream, "huge.avi"));
        Assert.Equal("huge.avi: decodes to more than 1024 MiB (1 frames of 40000x40000); lower short_side or cut the clip", e.Message);
    }

    [Fact]
    public void TheDiskCacheDecodesEachClipOnceAcrossLoadersAndGivesWhatMemoryGives()
    {
        using var dirFolder = new TempFolder("videonas-clipcache-");
        string dir = dirFolder.Path;
        var sampling = new ClipSampling(2, 2, 1, 16, ShortSide: 20, MultiScaleCrop: true);
        var clips = Dataset.Train.Take(3).ToList();
        var memory = new ClipLoader(Dataset, sampling);
        var first = new ClipLoader(Dataset, sampling, cacheDirectory: dir);
        first.Warm(clips);
        Assert.Equal(3, first.Decodes);
        Assert.Equal(3, Directory.GetFiles(dir, "*.vnclip").Length);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        // Another loader (a later run) reads the files and never decodes; every sample matches the memory cache's.
        var later = new ClipLoader(Dataset, sampling, cacheDirectory: dir);
        foreach (var (clip, seed) in clips.Select((c, i) => (c, 7 + i)))
            Assert.Equal(memory.Train(clip, seed)!.Rgb, later.Train(clip, seed)!.Rgb);
        Assert.Equal(memory.Test(clips[0], 3)!.Select(c => c.Rgb), later.Test(clips[0], 3)!.Select(c => c.Rgb));
        Assert.Equal(0, later.Decodes);

        // Another short side is another file; a clip that changes on disk is decoded again.
        var wider = new ClipLoader(Dataset, sampling with { ShortSide = 24 }, cacheDirectory: dir);
        wider.Train(clips[0], 1);
        Assert.Equal(1, wider.Decodes);
        File.SetLastWriteTimeUtc(Dataset.FullPath(clips[1]), DateTime.UtcNow.AddMinutes(1));
        var afterEdit = new ClipLoader(Dataset, sampling, cacheDirectory: dir);
        afterEdit.Train(clips[1], 1);
        afterEdit.Train(clips[2], 1);
        Assert.Equal(1, afterEdit.Decodes);
    }

    [Fact]
    public void AClipShorterThanItsSegmentsIsSampledWithRepetitionAndSaidOnce()
    {
        using var dirFolder = new TempFolder("videonas-short-");
        string dir = dirFolder.Path;
        Assert.Equal(0, DatasetLayoutTests.RunFfmpeg("-f", "lavfi", "-i", "testsrc=size=32x32:rate=25", "-frames:v", "5", "-c:v", "mpeg4", Path.Combine(dir, "short.avi")));
        var dataset = new VideoDataset(dir, ["A"], [new ClipEntry("short.avi", 0)], []);
        var said = new RecordingLogger();
        var loader = new ClipLoader(dataset, new ClipSampling(4, 2, 1, 16), cache: false, logger: said);
        for (int seed = 0; seed < 3; seed++) Assert.Equal(8, loader.Train(dataset.Train[0], seed)!.Frames);
        Assert.Equal(8, loader.Test(dataset.Train[0], 2)![1].Frames);
        var (level, line) = Assert.Single(said.Entries);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, level);
        Assert.Contains("short.avi: 5 frames, fewer than 4 segments × 2 frames", line);
        Assert.Equal(1, loader.ShortClips);
    }

    [Fact]
    public void LoadingAheadChangesNoBatchAndTheCursorCountsOnlyBatchesHandedOut()
    {
        var config = TinySearch.Network with { BatchSize = 4, Seed = 9, DecodeCache = false };
        using var ahead = new SearchData(Dataset, config with { PrefetchBatches = 3 });
        using var onDemand = new SearchData(Dataset, config with { PrefetchBatches = 0 });
        for (int i = 0; i < 3; i++)
        {
            using var a = ahead.NextWeightBatch();
            using var b = onDemand.NextWeightBatch();
            Assert.True(Same(a.Clips, b.Clips) && Same(a.Labels, b.Labels), $"batch {i}");
        }
        using (var a = ahead.NextArchBatch())
        using (var b = onDemand.NextArchBatch())
            Assert.True(Same(a.Clips, b.Clips));
        Assert.Equal(onDemand.Cursor, ahead.Cursor);
        Assert.Equal(new DataCursor(12 % ahead.WeightSplit.Count, 4 % ahead.ArchSplit.Count, 3, 1), ahead.Cursor);

        // Moving the cursor back replays the same batch.
        var fourth = ahead.Cursor;
        using var once = ahead.NextWeightBatch();
        ahead.Cursor = fourth;
        using var again = ahead.NextWeightBatch();
        Assert.True(Same(once.Clips, again.Clips));
    }

    private static bool Same(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void ALosslessSyntheticClipKeepsTheSquareOneExactColour()
    {
        using TempFolder losslessFolder = new("videonas-ffv1-"), lossyFolder = new("videonas-mpeg4-");
        string lossless = losslessFolder.Path, lossy = lossyFolder.Path;
        string[] options = ["--classes", "2", "--groups", "3", "--clips", "1", "--frames", "4", "--size", "32", "--seed", "3"];
        Assert.Equal(0, CliProcess.Run(["dataset", "synth", "--out", lossless, "--lossless", .. options]).ExitCode);
        Assert.Equal(0, CliProcess.Run(["dataset", "synth", "--out", lossy, .. options]).ExitCode);
        // Background pixels are below 170 in every channel, the square's colour is 170 or more in each.
        int BrightColours(string root)
        {
            var frame = Ffmpeg.Decode(Path.Combine(root, SyntheticMotionDataset.RelativePath("MoveRight", 1, 1)), 0, [0]).Frame(0).ToArray();
            return frame.Chunk(3).Where(p => p.All(v => v >= 170)).Select(p => (p[0], p[1], p[2])).Distinct().Count();
        }
        Assert.Equal(1, BrightColours(lossless));
        Assert.True(BrightColours(lossy) > 1, "MPEG-4 was expected to smear the square's colour");
    }

    [Fact]
    public void TheSameSeedWritesTheSameVideosInAnotherProcess()
    {
        using TempFolder aFolder = new("videonas-synth-a-"), bFolder = new("videonas-synth-b-");
        string a = aFolder.Path, b = bFolder.Path;
        foreach (var dir in new[] { a, b })
            Assert.Equal(0, CliProcess.Run("dataset", "synth", "--out", dir, "--classes", "2", "--groups", "3", "--clips", "1", "--frames", "6", "--size", "16", "--seed", "4").ExitCode);
        var files = Directory.GetFiles(a, "*.avi", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order().ToList();
        Assert.Equal(6, files.Count);
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(a, f)), File.ReadAllBytes(Path.Combine(b, f))));
    }
}
