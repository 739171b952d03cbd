namespace VideoNas.Tests;

public class GenotypeCliTests
{
    [Fact]
    public void DerivePrintsTheGenotypeOfAnAlphasFile()
    {
        using var dirFolder = new TempFolder("videonas-cli-");
        string dir = dirFolder.Path;
        string path = Path.Combine(dir, "alphas.json");
        File.WriteAllText(path, """
            {"primitives": ["none", "skip_connect", "conv_3x1x1"], "steps": 1,
             "normal": [[9, 0, 1], [0, 2, 0]], "reduce": [[0, 0, 0], [0, 0, 0]]}
            """);
        var r = CliProcess.Run("genotype", "derive", "--alphas", path);
        Assert.Equal(0, r.ExitCode);
        var g = SearchFiles.ParseGenotype(r.Stdout);
        // Edge 1's skip (e²/(2+e²) = 0.787) outranks edge 0's conv (e/(e⁹+e+1) ≈ 0.0003).
        Assert.Equal([new("skip_connect", 1), new("conv_3x1x1", 0)], g.Normal);
        Assert.Equal([new("skip_connect", 0), new("skip_connect", 1)], g.Reduce);
    }

    [Fact]
    public void ABrokenFileIsNamedAndExitsNonZero()
    {
        using var pathFolder = new TempFolder("videonas-cli-");
        string path = Path.Combine(pathFolder.Path, "bad.json");
        File.WriteAllText(path, """{"primitives": ["none", "skip_connect"], "steps": 2, "normal": [], "reduce": []}""");
        var r = CliProcess.Run("genotype", "derive", "--alphas", path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{path}: \"normal\" has 0 rows, but steps = 2 needs 5", r.Stderr);

        var missing = CliProcess.Run("genotype", "derive", "--alphas", path + ".nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(".nope: no such file", missing.Stderr);
    }

    [Fact]
    public void UnknownOptionsAreRefusedByName()
    {
        var r = CliProcess.Run("genotype", "derive", "--alpha", "x.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--alpha", r.Stderr);
    }
}
