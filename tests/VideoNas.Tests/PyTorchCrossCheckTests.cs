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
