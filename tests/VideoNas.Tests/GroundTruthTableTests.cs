using System.Text.Json.Nodes;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;

namespace VideoNas.Tests;

/// <summary>The ground-truth table's statistics, file format and fingerprint, on hand-made rows.</summary>
public class GroundTruthTableTests
{
    private static GroundTruthEntry Entry(int draw, params double[] video) => new(draw,
        JsonNode.Parse(SearchFiles.ToJson(RandomGenotype.Sample(Primitives.P3D, 4, draw)))!, 1000 + draw, 2000,
        video.Select((v, i) => new GroundTruthRun(i, v - 0.01, v, 60)).ToList());

    private static GroundTruthTable Table(params GroundTruthEntry[] entries) =>
        new(GroundTruthTable.CurrentVersion, "tiny split 1", new string('a', 64), Primitives.P3D, 4, JsonNode.Parse("{\"epochs\": 1}")!, entries);

    [Fact]
    public void SpreadsCompareArchitecturesWithTrainingSeeds()
    {
        // Means 0.5, 0.7, 0.9: std across architectures 0.2. Seed stds: 0.1·√2, 0, 0.1·√2 → mean 0.0943.
        var table = Table(Entry(0, 0.4, 0.6), Entry(1, 0.7, 0.7), Entry(2, 0.8, 1.0), Entry(3, 0.3));
        var (across, seeds, n) = table.Spreads();
        Assert.Equal(3, n); // the one-seed row does not count
        Assert.Equal(0.2, across, 12);
        Assert.Equal(2 * 0.1 * Math.Sqrt(2) / 3, seeds, 12);
        Assert.Contains("ratio 2.1", table.ToMarkdown());
    }

    [Fact]
    public void ATableBuiltBeforeAFieldExistedMatchesTheConfigAtThatFieldsDefault()
    {
        // {"epochs": 1} predates stem_multiplier: its rows were trained with the default 3, so only 3 matches.
        var table = Table(Entry(0, 0.5));
        Assert.True(table.TrainedWith(new Core.Training.TrainConfig { Epochs = 1 }));
        Assert.False(table.TrainedWith(new Core.Training.TrainConfig { Epochs = 1, StemMultiplier = 2 }));
        Assert.False(table.TrainedWith(new Core.Training.TrainConfig { Epochs = 2 }));
    }

    [Fact]
    public void PercentileCountsTheShareBelowWithTiesHalf()
    {
        var table = Table(Entry(0, 0.5), Entry(1, 0.6), Entry(2, 0.7), Entry(3, 0.8));
        Assert.Equal(0.5, table.Percentile(0.65), 12);
        Assert.Equal(0.625, table.Percentile(0.7), 12);
        Assert.Equal(1, table.Percentile(0.99), 12);
        Assert.Equal(0, table.Percentile(0.1), 12);
    }

    [Fact]
    public void PicksArePlacedInTheTableByTheBar()
    {
        // Table means 0.6, 0.7, 0.8, 0.9: mean 0.75, std √(0.05/3). Picks 0.85 (seeds 0.8, 0.9) and 0.95: mean 0.9,
        // std √0.005. Difference 0.15, spread √(0.005/2 + 0.05/12) = 0.0816: under twice the spread (0.163).
        var table = Table(Entry(0, 0.6), Entry(1, 0.7), Entry(2, 0.8), Entry(3, 0.9));
        var close = new PicksAgainstTable("m", table, [new("s0", [0.8, 0.9]), new("s1", [0.95])]);
        Assert.Equal(0.9, close.Picks.Mean, 12);
        Assert.Equal(0.75, close.Random.Mean, 12);
        Assert.Equal(0.15, close.Difference, 12);
        Assert.Equal(Math.Sqrt(0.005 / 2 + 0.05 / 12), close.DifferenceSpread, 12);
        Assert.Equal((0.75 + 1) / 2, close.MeanPercentile, 12); // 0.85 is above 3 of 4; 0.95 above all
        Assert.False(close.BeatsRandom);
        Assert.Contains("+15.0 ± 8.2 points** (within twice its spread", close.ToMarkdown());

        // Three picks at 0.95, 0.96, 0.97: difference 0.21 against a spread of √(0.0001/3 + 0.05/12) = 0.0648.
        var clear = new PicksAgainstTable("m", table, [new("a", [0.95]), new("b", [0.96]), new("c", [0.97])]);
        Assert.True(clear.BeatsRandom);
        Assert.Contains("beats random by the bar: yes", clear.ToMarkdown());
        // Far above the mean but not in the top 20 %: a table whose best fifth is out of reach fails the bar.
        var wide = Table(Entry(0, 0.1), Entry(1, 0.12), Entry(2, 0.14), Entry(3, 0.16), Entry(4, 0.18), Entry(5, 0.2), Entry(6, 0.22), Entry(7, 0.24), Entry(8, 0.99), Entry(9, 0.99));
        var short_ = new PicksAgainstTable("m", wide, [new("a", [0.9]), new("b", [0.91]), new("c", [0.92])]);
        Assert.True(short_.Difference > 2 * short_.DifferenceSpread);
        Assert.Equal(0.8, short_.MeanPercentile, 12);
        Assert.True(short_.BeatsRandom); // exactly at the bar counts
        var under = new PicksAgainstTable("m", wide, [new("a", [0.9]), new("b", [0.91]), new("c", [0.23])]);
        Assert.False(under.BeatsRandom);
    }

    [Fact]
    public void RandomSearchAtEqualComputeIsTheExpectedBestOfKDraws()
    {
        // Means 0.1..0.4; the best of 2 of the 6 pairs: 0.2, 0.3, 0.4, 0.3, 0.4, 0.4, mean 2.0 / 6. Every run took 60 s.
        var table = Table(Entry(0, 0.3), Entry(1, 0.1), Entry(2, 0.4), Entry(3, 0.2));
        var picks = new PicksAgainstTable("m", table, [new("a", [0.35])], costMinutes: 2.5);
        Assert.Equal(1, picks.TrainingMinutes, 12);
        Assert.Equal(2, picks.EqualComputeDraws);
        Assert.Equal(2.0 / 6, picks.BestOfRandom(2), 12);
        Assert.Equal(0.25, picks.BestOfRandom(1), 12);
        Assert.Equal(0.4, picks.BestOfRandom(4), 12);
        Assert.Equal(0.4, picks.BestOfRandom(9), 12);
        Assert.Contains("the best of 2 random architectures is expected at 33.3 %; the picks beat it", picks.ToMarkdown());
        Assert.Null(new PicksAgainstTable("m", table, [new("a", [0.35])]).EqualComputeDraws);
    }

    [Fact]
    public void ATableRoundTripsAndFindsItsGenotypes()
    {
        using var work = new TempFolder("videonas-gt-");
        var table = Table(Entry(0, 0.5, 0.6)).With(Entry(1, 0.9)).With(Entry(0, 0.55, 0.65));
        File.WriteAllText(work["table.json"], table.ToJson());
        var read = GroundTruthTable.Read(work["table.json"]);
        Assert.Equal([0, 1], read.Entries.Select(e => e.Draw));
        Assert.Equal(0.6, read.Entries[0].Video.Mean, 12);
        Assert.Equal(1, read.Find(RandomGenotype.Sample(Primitives.P3D, 4, 1))!.Draw);
        Assert.Null(read.Find(RandomGenotype.Sample(Primitives.P3D, 4, 2)));
    }

    [Fact]
    public void AnotherVersionOrAMissingFieldIsRefusedByName()
    {
        using var work = new TempFolder("videonas-gt-");
        File.WriteAllText(work["v2.json"], Table(Entry(0, 0.5)).ToJson().Replace("\"version\": 1", "\"version\": 2"));
        Assert.Contains("table version 2", Assert.Throws<FormatException>(() => GroundTruthTable.Read(work["v2.json"])).Message);
        File.WriteAllText(work["bad.json"], "{\"version\": 1}");
        Assert.Contains("\"entries\"", Assert.Throws<FormatException>(() => GroundTruthTable.Read(work["bad.json"])).Message);
    }

    [Fact]
    public void TheFingerprintChangesWhenAClipDoes()
    {
        using var work = new TempFolder("videonas-gt-");
        Directory.CreateDirectory(work["Run"]);
        File.WriteAllText(work["Run/a.avi"], "1234");
        var dataset = new Core.Data.VideoDataset(work.Path, ["Run"], [new("Run/a.avi", 0)], [new("Run/a.avi", 0)]);
        string before = GroundTruthTable.Fingerprint(dataset);
        Assert.Equal(before, GroundTruthTable.Fingerprint(dataset));
        File.WriteAllText(work["Run/a.avi"], "12345");
        Assert.NotEqual(before, GroundTruthTable.Fingerprint(dataset));
        Assert.NotEqual(before, GroundTruthTable.Fingerprint(dataset with { Classes = ["Walk"] }));
    }
}

/// <summary>The discriminative benchmark's levers: distractor squares, faint squares, per-frame noise.</summary>
public class SyntheticLeverTests
{
    private static byte[] FirstFrame(string dir, Core.Data.SynthOptions options)
    {
        Core.Data.SyntheticMotionDataset.Generate(dir, options);
        string clip = Path.Combine(dir, Core.Data.SyntheticMotionDataset.RelativePath("MoveRight", 1, 1));
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-v", "error", "-i", clip, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"])
        { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        using var bytes = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(bytes);
        p.WaitForExit();
        return bytes.ToArray();
    }

    private static int Pixels(byte[] rgb, Func<int, bool> test) =>
        Enumerable.Range(0, rgb.Length / 3).Count(i => test(rgb[3 * i]) && test(rgb[3 * i + 1]) && test(rgb[3 * i + 2]));

    [Fact]
    public void DistractorsAreDarkSquaresAndContrastMakesTheSquareFaint()
    {
        using var work = new TempFolder("videonas-levers-");
        var plain = new Core.Data.SynthOptions { Classes = 2, Groups = 3, ClipsPerGroup = 1, Frames = 4, Size = 32, Seed = 9, Lossless = true };
        var frame = FirstFrame(work["plain"], plain);
        Assert.Equal(32 * 32 * 3, frame.Length);
        // The background is 40..129 per channel; only the bright square is above 169, nothing is below 40.
        Assert.Equal(0, Pixels(frame, v => v < 40));
        Assert.True(Pixels(frame, v => v >= 170) >= 4);

        var distracted = FirstFrame(work["distracted"], plain with { Distractors = 1 });
        Assert.True(Pixels(distracted, v => v < 25) >= 4);
        Assert.True(Pixels(distracted, v => v >= 170) >= 4);

        var faint = FirstFrame(work["faint"], plain with { Contrast = 10 });
        Assert.Equal(0, Pixels(faint, v => v >= 170));

        var noisy = FirstFrame(work["noisy"], plain with { Noise = 30 });
        // Noise pushes single channel values past the background's range.
        Assert.Contains(noisy, v => v < 40);
        Assert.Throws<ArgumentException>(() => Core.Data.SyntheticMotionDataset.Generate(work["bad"], plain with { Noise = 65 }));
    }
}
