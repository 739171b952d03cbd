namespace VideoNas.Tests;

/// <summary>The README's exit-code contract (0 done, 1 failed, 2 misused or a bad value, 130 cancelled), in real processes.</summary>
[Collection(RealProcessCollection.Name)]
public class CliContractTests
{
    [Fact]
    public void ABadConfigOnTheCommandLineIsMisuseAndABadOptionValueIsNamedInWords()
    {
        using var work = new TempFolder("videonas-config-");
        File.WriteAllText(work["train.json"], "{\"grad_clip\": -1}");
        var bad = CliProcess.Run("train", "--model", "c3d", "--config", work["train.json"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains($"{work["train.json"]}: \"grad_clip\" must", bad.Stderr);

        var word = CliProcess.Run("train", "--model", "c3d", "--epochs", "abc");
        Assert.Equal(2, word.ExitCode);
        Assert.Contains("error: --epochs: \"abc\" is not a whole number", word.Stderr);
        Assert.DoesNotContain("System.", word.Stderr);
    }

    [Theory]
    [InlineData("--width must be between 0.01 and 8, got 1000000000", "model", "info", "--model", "c3d", "--width", "1e9")]
    [InlineData("--width must be between 0.01 and 8, got NaN", "model", "info", "--model", "c3d", "--width", "NaN")]
    [InlineData("--width must be between 0.01 and 8, got 0", "model", "info", "--model", "c3d", "--width", "0")]
    [InlineData("--classes must be between 2 and 100000, got 0", "model", "info", "--model", "c3d", "--classes", "0")]
    [InlineData("--layers must be between 1 and 64, got 0", "model", "info", "--model", "c3d", "--layers", "0")]
    [InlineData("--frames must be between 1 and 512, got 0", "model", "info", "--model", "c3d", "--frames", "0")]
    [InlineData("--resolution must be between 16 and 1024, got -1", "model", "info", "--model", "c3d", "--resolution", "-1")]
    [InlineData("--channels must be between 2 and 512, got -4", "model", "info", "--model", "c3d", "--channels", "-4")]
    [InlineData("--steps must be between 1 and 16, got 100000", "genotype", "random", "--steps", "100000", "--seed", "1")]
    [InlineData("--classes must be between 2 and 10, got 11", "dataset", "synth", "--out", "unused", "--classes", "11")]
    [InlineData("--short-side must be between 0 and 4096, got -5", "dataset", "extract", "--root", "unused", "--out", "unused", "--short-side", "-5")]
    public void AnOptionOutOfItsRangeIsMisuseNamingTheRange(string message, params string[] args)
    {
        var result = CliProcess.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {message}", result.Stderr);
        Assert.DoesNotContain("(Parameter", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void DeriveAndModelInfoRefuseAnOperationVideoNasCannotBuild()
    {
        using var work = new TempFolder("videonas-derive-");
        File.WriteAllText(work["alphas.json"], """{"primitives": ["none", "conv_9x9x9"], "steps": 1, "normal": [[0, 1], [0, 1]], "reduce": [[0, 1], [0, 1]]}""");
        var result = CliProcess.Run("genotype", "derive", "--alphas", work["alphas.json"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown operation \"conv_9x9x9\"", result.Stderr);
        Assert.Equal("", result.Stdout);

        File.WriteAllText(work["genotype.json"], """{"normal": [["conv_9x9x9", 0], ["skip_connect", 1]], "normal_concat": [2], "reduce": [["skip_connect", 0], ["skip_connect", 1]], "reduce_concat": [2]}""");
        var info = CliProcess.Run("model", "info", "--genotype", work["genotype.json"]);
        Assert.Equal(1, info.ExitCode);
        Assert.Contains("\"normal\"[0] has operation \"conv_9x9x9\", which a derived network cannot have", info.Stderr);
        Assert.DoesNotContain("(Parameter", info.Stderr);
    }

    [Fact]
    public void AClusterVerbWithNoClusterSaysWhereItConnectsAndGivesUp()
    {
        int port = Core.LoopbackPort.Free();
        var gateway = CliProcess.Run("status", "some-id", "--gateway", $"localhost:{port}", "--connect-timeout", "2");
        Assert.Equal(2, gateway.ExitCode);
        Assert.Contains($"connecting to the VideoNas cluster at localhost:{port} (cluster id videonas; giving up after 2 s)", gateway.Stderr);
        Assert.Contains("nothing answered within 2 s", gateway.Stderr);

        var redis = CliProcess.Run("experiment", "list", "--redis", $"127.0.0.1:{port}", "--connect-timeout", "2");
        Assert.Equal(2, redis.ExitCode);
        Assert.Contains($"could not reach a VideoNas cluster through Redis at 127.0.0.1:{port}", redis.Stderr);
        Assert.DoesNotContain("abortConnect", redis.Stderr);

        var variable = CliProcess.RunWith(new Dictionary<string, string> { ["VIDEONAS_GATEWAY"] = "nowhere" }, "status", "some-id");
        Assert.Equal(2, variable.ExitCode);
        Assert.Contains("error: VIDEONAS_GATEWAY: \"nowhere\" is not a HOST:PORT address", variable.Stderr);
    }

    [Fact]
    public void CtrlCWhileConnectingIsACancellation()
    {
        var (process, log) = CliProcess.Start("status", "some-id", "--gateway", $"127.0.0.1:{Core.LoopbackPort.Free()}", "--connect-timeout", "120");
        using (process)
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!log.ToString().Contains("connecting to", StringComparison.Ordinal) && DateTime.UtcNow < until) Thread.Sleep(100);
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", $"{process.Id}"])) kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "still connecting after Ctrl+C");
            process.WaitForExit();
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("cancelled", log.ToString());
        }
    }
}
