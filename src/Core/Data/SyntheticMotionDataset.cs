using System.Globalization;
using System.Text;
using VideoNas.Core.Search;

namespace VideoNas.Core.Data;

public sealed record SynthOptions
{
    public int Classes { get; init; } = 4;
    public int Groups { get; init; } = 6;
    public int ClipsPerGroup { get; init; } = 3;
    public int Frames { get; init; } = 24;
    public int Size { get; init; } = 64;
    public int Fps { get; init; } = 25;
    public long Seed { get; init; } = 1;
    /// <summary>FFV1 (lossless) instead of MPEG-4: no compression artefacts around the moving square that a single frame could read motion from.</summary>
    public bool Lossless { get; init; }
    /// <summary>
    /// Dark squares that move like a random class of their own: the clip's class is the bright square's motion,
    /// so a network must bind motion to appearance instead of reading "something moves right".
    /// </summary>
    public int Distractors { get; init; }
    /// <summary>Per-pixel noise drawn afresh every frame, uniform in ±Noise levels: frame differences are noisy too.</summary>
    public int Noise { get; init; }
    /// <summary>0: the square is bright (170–255). Otherwise it is this many levels (and up to 40 more) above the background: faint, so a single frame difference drowns in the noise.</summary>
    public int Contrast { get; init; }
}

/// <summary>
/// Writes a synthetic action-recognition dataset of real video files in the UCF101 layout:
/// <c>Class/v_Class_gXX_cYY.avi</c>, <c>ucfTrainTestlist/classInd.txt</c>, three train/test splits with
/// CRLF endings. Split s tests on the groups g with (g−1) mod 3 = s−1, so no group straddles a split.
/// </summary>
public static class SyntheticMotionDataset
{
    public static void Generate(string outDir, SynthOptions o, Action<int, int>? progress = null)
    {
        if (o.Classes < 2 || o.Classes > MotionPatterns.All.Count)
            throw new ArgumentException($"--classes must be between 2 and {MotionPatterns.All.Count}, got {o.Classes}");
        if (o.Groups < 3) throw new ArgumentException($"--groups must be at least 3 so each of the three splits has test groups, got {o.Groups}");
        if (o.ClipsPerGroup < 1) throw new ArgumentException($"--clips must be at least 1, got {o.ClipsPerGroup}");
        if (o.Frames < 4 || o.Size < 16) throw new ArgumentException("clips need at least 4 frames of at least 16×16");
        if (o.Distractors is < 0 or > 8) throw new ArgumentException($"--distractors must be between 0 and 8, got {o.Distractors}");
        if (o.Contrast is < 0 or > 120) throw new ArgumentException($"--contrast must be between 0 and 120 levels, got {o.Contrast}");
        if (o.Noise is < 0 or > 64) throw new ArgumentException($"--noise must be between 0 and 64 levels, got {o.Noise}");

        var classes = MotionPatterns.All.Take(o.Classes).Select(p => p.ToString()).ToList();
        var clips = (from c in Enumerable.Range(0, o.Classes)
                     from g in Enumerable.Range(1, o.Groups)
                     from k in Enumerable.Range(1, o.ClipsPerGroup)
                     select (Class: c, Group: g, Clip: k)).ToList();
        foreach (var name in classes) Directory.CreateDirectory(Path.Combine(outDir, name));

        int done = 0;
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, clip =>
        {
            string relative = RelativePath(classes[clip.Class], clip.Group, clip.Clip);
            // Not HashCode.Combine: it is seeded afresh in every process, and the same seed must write the same videos.
            var random = SeedStream.For(o.Seed, clip.Class, clip.Group * 10_000L + clip.Clip);
            WriteClip(Path.Combine(outDir, relative), MotionPatterns.All[clip.Class], random, o);
            progress?.Invoke(Interlocked.Increment(ref done), clips.Count);
        });

        string lists = Path.Combine(outDir, Ucf101Layout.ListFolder);
        Directory.CreateDirectory(lists);
        WriteCrlf(Path.Combine(lists, "classInd.txt"), classes.Select((name, i) => $"{i + 1} {name}"));
        for (int split = 1; split <= 3; split++)
        {
            bool IsTest(int group) => (group - 1) % 3 == split - 1;
            WriteCrlf(Path.Combine(lists, $"trainlist0{split}.txt"),
                clips.Where(c => !IsTest(c.Group)).Select(c => $"{RelativePath(classes[c.Class], c.Group, c.Clip)} {c.Class + 1}"));
            WriteCrlf(Path.Combine(lists, $"testlist0{split}.txt"),
                clips.Where(c => IsTest(c.Group)).Select(c => RelativePath(classes[c.Class], c.Group, c.Clip)));
        }
    }

    public static string RelativePath(string className, int group, int clip) =>
        $"{className}/v_{className}_g{group:00}_c{clip:00}.avi";

    private static void WriteCrlf(string path, IEnumerable<string> lines) =>
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\r\n")), Encoding.ASCII);

    /// <summary>One square's motion: its pattern, start, side and speed, drawn in this order from the clip's stream.</summary>
    private sealed record Mover(MotionPattern Pattern, byte[] Colour, double X0, double Y0, double Side, double Speed)
    {
        public static Mover Draw(MotionPattern pattern, byte[] colour, Random random, double sizeScale = 1) =>
            new(pattern, colour, random.NextDouble(), random.NextDouble(), sizeScale * (0.1 + 0.3 * random.NextDouble()), 1.2 + 0.4 * random.NextDouble());

        public void Draw(byte[] frame, int size, double t)
        {
            var (cx, cy, s) = MotionPatterns.At(Pattern, t, X0, Y0, Side, Speed);
            DrawSquare(frame, size, cx, cy, s, Colour);
        }
    }

    private static void WriteClip(string path, MotionPattern pattern, Random random, SynthOptions o)
    {
        int size = o.Size;
        var background = new byte[size * size * 3];
        int baseLevel = random.Next(40, 90);
        for (int i = 0; i < background.Length; i++) background[i] = (byte)(baseLevel + random.Next(0, 40));
        var colour = new[] { (byte)random.Next(170, 256), (byte)random.Next(170, 256), (byte)random.Next(170, 256) };
        // Drawn either way, so that --contrast changes the colour and nothing else.
        if (o.Contrast > 0) colour = colour.Select(c => (byte)(baseLevel + 20 + o.Contrast + (c - 170) * 40 / 86)).ToArray();
        var movers = new List<Mover> { Mover.Draw(pattern, colour, random) };
        // Drawn after the bright square, so a dataset without distractors is the one earlier versions wrote.
        for (int d = 0; d < o.Distractors; d++)
        {
            var dark = new[] { (byte)random.Next(0, 25), (byte)random.Next(0, 25), (byte)random.Next(0, 25) };
            movers.Insert(0, Mover.Draw(MotionPatterns.All[random.Next(MotionPatterns.All.Count)], dark, random, sizeScale: 0.7));
        }

        using var ffmpeg = Ffmpeg.Start(["-nostdin", "-y", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", $"{size}x{size}", "-r", o.Fps.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
            .. (o.Lossless ? ["-c:v", "ffv1", "-pix_fmt", "bgr0"] : new[] { "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p" }), path], redirectInput: true);
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        var frame = new byte[background.Length];
        using (var stdin = ffmpeg.StandardInput.BaseStream)
        {
            for (int f = 0; f < o.Frames; f++)
            {
                background.CopyTo(frame, 0);
                // Distractors first: the bright square is drawn over them.
                foreach (var mover in movers) mover.Draw(frame, size, (double)f / (o.Frames - 1));
                if (o.Noise > 0)
                    for (int i = 0; i < frame.Length; i++) frame[i] = (byte)Math.Clamp(frame[i] + random.Next(-o.Noise, o.Noise + 1), 0, 255);
                stdin.Write(frame);
            }
        }
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0) throw new IOException($"{path}: ffmpeg failed to encode: {stderr.Result.Trim()}");
    }

    /// <summary>Draws on a torus: the part of the square past an edge comes in at the opposite one.</summary>
    private static void DrawSquare(byte[] frame, int size, double cx, double cy, double side, byte[] colour)
    {
        int half = Math.Max(1, (int)(side * size / 2));
        int x = (int)(cx * size), y = (int)(cy * size);
        for (int r = y - half; r < y + half; r++)
            for (int c = x - half; c < x + half; c++)
                colour.CopyTo(frame, (Mod(r, size) * size + Mod(c, size)) * 3);
    }

    private static int Mod(int v, int m) => ((v % m) + m) % m;
}
