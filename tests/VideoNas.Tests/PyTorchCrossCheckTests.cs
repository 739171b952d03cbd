using System.Diagnostics;

namespace VideoNas.Tests;

/// <summary>
/// VideoNas' supernet against the PyTorch reference (benchmarks/pytorch): the same weights and batch give the
/// same loss and gradients as the reference computes in float64. Needs Debian's python3-torch (CI installs it);
/// skipped, saying so, where it is missing.
/// </summary>
public class PyTorchCrossCheckTests(ITestOutputHelper log)
{
    private const string Python = "/usr/bin/python3";

    public static TheoryData<string, string> Spaces => new()
    {
        { "p3d", """{"primitives": null}""" },
        { "paper", """{"primitives": ["none","skip_connect","max_pool_3x3x3","avg_pool_3x3x3","conv_1x1x1","conv_3x3x3","sep_conv_3x3x3","dil_conv_3x3x3"]}""" },
        { "p3d, partial channels 1/2", """{"partial_channels": 2}""" },
    };

    [SkippableTheory]
    [MemberData(nameof(Spaces))]
    public void TheSupernetGivesThePyTorchReferencesLossAndGradients(string space, string overrides)
    {
        Skip.IfNot(HasTorch(), $"{Python} cannot import torch: apt-get install python3-torch (CI installs it)");
        var o = System.Text.Json.Nodes.JsonNode.Parse(overrides)!;
        var config = TinySearch.Network with { BatchSize = 4, Seed = 3 };
        if (o["primitives"] is System.Text.Json.Nodes.JsonArray primitives) config = config with { Primitives = primitives.Select(p => (string)p!).ToList() };
        if (o["partial_channels"] is { } k) config = config with { PartialChannels = (int)k };
        using var work = new TempFolder("videonas-crosscheck-");
        File.WriteAllText(work["search.json"], config.ToJson());

        var export = CliProcess.Run("bench", "export-step", "--config", work["search.json"], "--out", work["step.json"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var (code, output) = Run(Python, Path.Combine(DeployFiles.Root, "benchmarks", "pytorch", "crosscheck.py"), work["step.json"]);
        log.WriteLine($"{space}: {output}");
        Assert.True(code == 0, $"{space}: {output}");
        Assert.Contains("\"videonas_worst_gradient_relative_error\"", output);
    }

    public static TheoryData<string, string[]> Networks => new()
    {
        { "P3D genotype", ["--genotype", Path.Combine(DeployFiles.Root, "docs", "results", "evaluation-p3d", "genotypes", "searched_s2.json")] },
        { "paper-space genotype", ["--genotype", Path.Combine(DeployFiles.Root, "docs", "results", "evaluation-paper-32", "genotypes", "searched_s0.json")] },
        { "R(2+1)D-18", ["--model", "r2plus1d18", "--width", "0.25"] },
        { "R3D-18", ["--model", "r3d18", "--width", "0.125"] },
    };

    /// <summary>The training-step reference (network.py) builds the same networks: a wiring or width slip changes the count.</summary>
    [SkippableTheory]
    [MemberData(nameof(Networks))]
    public void TheTrainingStepReferenceBuildsOurNetworks(string network, string[] which)
    {
        Skip.IfNot(HasTorch(), $"{Python} cannot import torch: apt-get install python3-torch (CI installs it)");
        using var work = new TempFolder("videonas-crosscheck-");
        File.WriteAllText(work["train.json"], """{"batch_size": 2, "segments": 2, "frames_per_segment": 2, "resolution": 16, "channels": 8, "layers": 5, "auxiliary_weight": 0.4}""");
        var ours = CliProcess.Run(["bench", "train", "--config", work["train.json"], .. which, "--steps", "1", "--warmup", "0", "--json"]);
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        var (code, output) = Run(Python, [Path.Combine(DeployFiles.Root, "benchmarks", "pytorch", "network.py"), "--config", work["train.json"], .. which,
            "--steps", "1", "--warmup", "0"]);
        Assert.True(code == 0, $"{network}: {output}");
        long Parameters(string text) => System.Text.Json.JsonDocument.Parse(text.Split('\n').Last(l => l.StartsWith('{'))).RootElement.GetProperty("parameters").GetInt64();
        log.WriteLine($"{network}: VideoNas {Parameters(ours.Stdout):N0}, PyTorch {Parameters(output):N0} weight parameters");
        Assert.Equal(Parameters(ours.Stdout), Parameters(output));
    }

    private static bool HasTorch() => File.Exists(Python) && Run(Python, "-c", "import torch").Code == 0;

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
