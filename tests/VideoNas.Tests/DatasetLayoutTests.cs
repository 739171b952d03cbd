using VideoNas.Core;
using VideoNas.Core.Data;

namespace VideoNas.Tests;

public class DatasetLayoutTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    /// <summary>The fixture's clips as plain class folders, plus two clips without UCF101 group names.</summary>
    private string ClassFolders(string root)
    {
        foreach (var clip in Ucf101Layout.Load(data.Root, 1).Train.Concat(Ucf101Layout.Load(data.Root, 1).Test))
        {
            Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName(clip.RelativePath)!));
            File.Copy(Path.Combine(data.Root, clip.RelativePath), Path.Combine(root, clip.RelativePath));
        }
        File.Copy(Directory.GetFiles(Path.Combine(root, "MoveLeft"))[0], Path.Combine(root, "MoveLeft", "street.mp4"));
        File.Copy(Directory.GetFiles(Path.Combine(root, "MoveLeft"))[0], Path.Combine(root, "MoveLeft", "park.avi"));
        File.WriteAllText(Path.Combine(root, "MoveLeft", "notes.txt"), "not a clip");
        return root;
    }

    [Fact]
    public void ClassFoldersSplitIntoThreeFoldsThatNeverCutAGroup()
    {
        using var rootFolder = new TempFolder("videonas-folders-");
        string root = ClassFolders(rootFolder.Path);
        var splits = Enumerable.Range(1, 3).Select(s => DatasetLayout.Open(root, s)).ToList();
        Assert.All(splits, s => Assert.Equal(ClassFolderLayout.Name, s.Layout));
        Assert.Equal(["MoveLeft", "MoveRight"], splits[0].Classes);
        var all = splits[0].Train.Concat(splits[0].Test).Select(c => c.RelativePath).Order().ToList();
        Assert.Equal(14, all.Count); // 12 clips + 2 without groups; notes.txt is no clip
        Assert.Equal(all, splits.SelectMany(s => s.Test).Select(c => c.RelativePath).Order().ToList()); // the test folds partition the clips
        foreach (var s in splits)
        {
            var trainGroups = s.Train.Select(c => ClassFolderLayout.GroupOf(c.RelativePath)).ToHashSet();
            Assert.DoesNotContain(s.Test, c => trainGroups.Contains(ClassFolderLayout.GroupOf(c.RelativePath)));
            Assert.All(s.Train.Concat(s.Test), c => Assert.Equal(c.RelativePath.StartsWith("MoveLeft/", StringComparison.Ordinal) ? 0 : 1, c.Label));
        }
        Assert.Equal("MoveLeft/g02", ClassFolderLayout.GroupOf("MoveLeft/v_MoveLeft_g02_c01.avi"));
        Assert.Equal("MoveLeft/park.avi", ClassFolderLayout.GroupOf("MoveLeft/park.avi"));

        // The same seed gives the same folds in another call; some other seed moves some group.
        Assert.Equal(splits[0].Test, DatasetLayout.Open(root, 1).Test);
        Assert.Contains(Enumerable.Range(1, 10), seed => !DatasetLayout.Open(root, 1, seed).Test.SequenceEqual(splits[0].Test));
    }

    [Fact]
    public void ExtractedRawframesLoadLikeTheVideosTheyCameFrom()
    {
        using var framesFolder = new TempFolder("videonas-rawframes-");
        string frames = framesFolder.Path;
        var r = CliProcess.Run("dataset", "extract", "--root", data.Root, "--out", frames);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("12 clips, 144 frames", r.Stdout);

        var video = Ucf101Layout.Load(data.Root, 2);
        var raw = DatasetLayout.Open(frames, 2);
        Assert.Equal((ClipFormat.RawFrames, RawFramesLayout.Name), (raw.Format, raw.Layout));
        Assert.Equal(video.Classes, raw.Classes);
        Assert.Equal(video.Test.Select(c => (RawFramesExtractor.FrameDir(c), c.Label, 12)), raw.Test.Select(c => (c.RelativePath, c.Label, c.Frames)));
        Assert.True(File.Exists(Path.Combine(frames, raw.Train[0].RelativePath, "img_00012.jpg")));

        // The same centre clips through both paths: JPEG is lossy, so close, not equal.
        var sampling = new ClipSampling(2, 2, 1, 16);
        var fromVideo = new ClipLoader(video, sampling).Test(video.Test[0], 2)!;
        var fromFrames = new ClipLoader(raw, sampling, cache: false).Test(raw.Test[0], 2)!;
        double meanDiff = fromVideo.Zip(fromFrames).SelectMany(p => p.First.Rgb.Zip(p.Second.Rgb, (a, b) => Math.Abs(a - b))).Average();
        Assert.InRange(meanDiff, 0, 4);

        var check = CliProcess.Run("dataset", "check", "--root", frames, "--split", "2");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);

        // Rerunning keeps finished clips: their folders are not rewritten.
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(frames, raw.Train[0].RelativePath, "img_00001.jpg"));
        Assert.Equal(0, CliProcess.Run("dataset", "extract", "--root", data.Root, "--out", frames).ExitCode);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(frames, raw.Train[0].RelativePath, "img_00001.jpg")));
    }

    [Fact]
    public void AClipThatLinksOutOfTheRootIsABadClip()
    {
        using var rootFolder = new TempFolder("videonas-links-");
        using var outside = new TempFolder("videonas-outside-");
        string root = ClassFolders(rootFolder.Path);
        string victim = Directory.GetFiles(Path.Combine(root, "MoveLeft"), "*.avi")[0];
        string elsewhere = Path.Combine(outside.Path, "secret.avi");
        File.Move(victim, elsewhere);
        File.CreateSymbolicLink(victim, elsewhere);
        // A class folder that is itself a link out of the root.
        Directory.CreateSymbolicLink(Path.Combine(root, "Borrowed"), Path.Combine(data.Root, "MoveRight"));

        var report = DatasetCheck.Run(root, 1);
        var links = report.Problems.Where(p => p.Reason.StartsWith("a symbolic link leads out of the dataset root", StringComparison.Ordinal)).ToList();
        Assert.Contains(links, p => p.Where == Path.GetRelativePath(root, victim));
        Assert.Contains(links, p => p.Where.StartsWith("Borrowed/", StringComparison.Ordinal));
        Assert.Null(ConfinedPath.Within(Path.Combine(root, "Borrowed", "x.avi"), [root]));
    }

    [Fact]
    public void BadRawframesListsAndFoldersAreNamed()
    {
        using var rootFolder = new TempFolder("videonas-badraw-");
        string root = rootFolder.Path;
        string clip = Path.Combine(root, "Wave", "clip1");
        Directory.CreateDirectory(clip);
        File.WriteAllText(Path.Combine(root, "classInd.txt"), "1 Wave\n2 Jump\n");
        File.WriteAllText(Path.Combine(root, "x_val_split_1_rawframes.txt"), "Wave/clip1 3 0\n");
        File.WriteAllText(Path.Combine(root, "x_train_split_1_rawframes.txt"), "Wave/clip1 3 0\nWave/clip1 3 1\n");
        var e = Assert.Throws<FormatException>(() => DatasetLayout.Open(root, 1));
        Assert.Contains("x_train_split_1_rawframes.txt:2: label 1 disagrees with classInd.txt, where \"Wave\" is 0", e.Message);

        File.WriteAllText(Path.Combine(root, "x_train_split_1_rawframes.txt"), "Wave/clip1 3 0\n../outside 3 0\n");
        e = Assert.Throws<FormatException>(() => DatasetLayout.Open(root, 1));
        Assert.Contains("x_train_split_1_rawframes.txt:2: \"../outside\" leaves the dataset root", e.Message);

        File.WriteAllText(Path.Combine(root, "x_train_split_1_rawframes.txt"), "Wave/clip1 3 0\nWave/clip2 2000000000 0\n");
        e = Assert.Throws<FormatException>(() => DatasetLayout.Open(root, 1));
        Assert.Contains("x_train_split_1_rawframes.txt:2: \"Wave/clip2\" lists 2000000000 frames; a clip has 1 to 1000000", e.Message);

        File.WriteAllText(Path.Combine(root, "x_train_split_1_rawframes.txt"), "Wave/clip1 3 0\nWave/clip2 3 7\n");
        e = Assert.Throws<FormatException>(() => DatasetLayout.Open(root, 1));
        Assert.Contains("x_train_split_1_rawframes.txt:2: label 7 is outside 0..1", e.Message);

        var missing = Assert.Throws<FileNotFoundException>(() => DatasetLayout.Open(root, 3));
        Assert.Contains("*_train_split_3_rawframes.txt not found", missing.Message);

        // Two real frames where the list promises three; a folder that is not there at all; one good clip.
        foreach (int i in new[] { 1, 2 })
            Assert.Equal(0, RunFfmpeg("-f", "lavfi", "-i", "color=c=red:s=32x24", "-frames:v", "1", Path.Combine(clip, $"img_0000{i}.jpg")));
        Directory.CreateDirectory(Path.Combine(root, "Jump", "good"));
        File.Copy(Path.Combine(clip, "img_00001.jpg"), Path.Combine(root, "Jump", "good", "img_00001.jpg"));
        File.WriteAllText(Path.Combine(root, "x_train_split_1_rawframes.txt"), "Wave/clip1 3 0\nJump/gone 4 1\nJump/good 1 1\n");
        var report = DatasetCheck.Run(root, 1);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains(report.Problems, p => p.Where == "Wave/clip1" && p.Reason.Contains("the list says 3 frames, the folder has 2"));
        Assert.Contains(report.Problems, p => p.Where == "Jump/gone" && p.Reason == "frame folder not found");

        var loader = new ClipLoader(DatasetLayout.Open(root, 1), new ClipSampling(3, 1, 1, 16), cache: false);
        Assert.Null(loader.Test(new ClipEntry("Wave/clip1", 0, 3), 1)); // its third segment is frame 3
        Assert.Equal("frame file img_00003.jpg not found", loader.BadClips["Wave/clip1"]);
    }

    [Fact]
    public void ARootWithNoDatasetSaysWhatItLookedFor()
    {
        using var rootFolder = new TempFolder("videonas-empty-");
        string root = rootFolder.Path;
        Directory.CreateDirectory(Path.Combine(root, "Empty"));
        var e = Assert.Throws<FormatException>(() => DatasetLayout.Open(root, 1));
        Assert.Contains("not a dataset: no ucfTrainTestlist/classInd.txt, no *_rawframes.txt list, and no class folder with video files", e.Message);
    }

    internal static int RunFfmpeg(params string[] args)
    {
        using var p = Ffmpeg.Start(["-nostdin", "-y", "-v", "error", .. args], redirectInput: false);
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
