using TorchSharp;
using VideoNas.Grains;
using VideoNas.Grains.Storage;
using VideoNas.Nas;
using VideoNas.Nas.Optim;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>A NaN or Inf stops training before any update, says where and what to try, and never breaks the files that record it.</summary>
public class NonFiniteGuardTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Net = TinySearch.Network with { BatchSize = 3 };
    private const string Poisoned = "_cells.1._edges.0._ops.7._spatial._conv.inner.weight";

    [Fact]
    public void APoisonedWeightStopsTheWStepNamingTheParameterAndUpdatesNothing()
    {
        using var search = new BilevelSearch(Net, classes: 3);
        Poison(search.Model, Poisoned);
        var before = Weights(search);
        var e = Assert.Throws<NonFiniteValueException>(() => search.WeightStep(Batch(1)));
        Assert.StartsWith("the w step on the w-split: the loss is NaN", e.Message);
        Assert.Contains($"the weight {Poisoned} itself is already non-finite", e.Message);
        Assert.Contains("Try a lower weight_lr (now 0.025)", e.Message);
        Assert.Contains("videonas doctor", e.Message);
        AssertUnchanged(before, Weights(search));
    }

    [Fact]
    public void APoisonedWeightStopsTheFirstAndSecondOrderAlphaSteps()
    {
        using var search = new BilevelSearch(Net, classes: 3);
        Poison(search.Model, Poisoned);
        var alphas = search.Model.ArchParameters.Select(a => a.detach().clone()).ToList();
        var first = Assert.Throws<NonFiniteValueException>(() => search.ArchStep(Batch(2)));
        Assert.StartsWith("the α step on the α-split: the loss is NaN and the first non-finite gradient is that of alphas_normal", first.Message);
        var second = Assert.Throws<NonFiniteValueException>(() => search.ArchStep(Batch(2), Batch(3)));
        Assert.StartsWith("the second-order α step", second.Message);
        for (int i = 0; i < alphas.Count; i++) Assert.True(alphas[i].allclose(search.Model.ArchParameters[i], rtol: 0, atol: 0), "α moved");
    }

    [Fact]
    public void FiniteStepsPassTheGuard()
    {
        using var search = new BilevelSearch(Net, classes: 3);
        Assert.True(double.IsFinite(search.ArchStep(Batch(4)).Loss));
        Assert.True(double.IsFinite(search.WeightStep(Batch(5)).Loss));
    }

    [Fact]
    public async Task ATrialRecordWithANaNLossIsStoredAndReadBack()
    {
        using var folder = new TempFolder("videonas-nan-state-");
        var storage = new FileGrainStorage(folder.Path);
        var id = GrainId.Create("trial", "nan");
        var record = new TrialRecord { Train = new StepMetrics(double.NaN, 0.25, 4), Arch = new StepMetrics(double.PositiveInfinity, 0, 4) };
        await storage.WriteStateAsync("trial", id, new GrainState<TrialRecord>(record));
        var read = new GrainState<TrialRecord>();
        await storage.ReadStateAsync("trial", id, read);
        Assert.True(double.IsNaN(read.State!.Train!.Loss));
        Assert.Equal(double.PositiveInfinity, read.State!.Arch!.Loss);
    }

    [Fact]
    public void ADemoWhoseLearningRateDivergesFailsAtOnceNamingTheStep()
    {
        using var workFolder = new TempFolder("videonas-nan-demo-");
        string work = workFolder.Path;
        string config = Path.Combine(work, "diverge.json");
        File.WriteAllText(config, (TinySearch.Network with { BatchSize = 2, Epochs = 3, WeightLr = 1e30 }).ToJson());
        var started = DateTime.UtcNow;
        var run = CliProcess.Run("demo", "--state", Path.Combine(work, "state"), "--data", data.Root, "--config", config, "--out", Path.Combine(work, "out"));
        string output = run.Stdout + run.Stderr;
        Assert.True(run.ExitCode == 1, output);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(2), $"took {DateTime.UtcNow - started}");
        Assert.Matches(@"ended Failed: step \d+ of \d+: the .* step on the .*: the loss is (NaN|-?Infinity)", run.Stderr);
        Assert.Contains("weight_lr (now 1E+30)", run.Stderr);
        Assert.DoesNotContain("JSON", output);
        Assert.DoesNotContain("retrying", output);
    }

    [Fact]
    public void TrainingWhoseLearningRateDivergesFailsAtOnceNamingTheStep()
    {
        using var workFolder = new TempFolder("videonas-nan-train-");
        string work = workFolder.Path;
        string config = Path.Combine(work, "train.json");
        File.WriteAllText(config, """{"epochs": 3, "lr": 1e30, "resolution": 16, "segments": 2, "frames_per_segment": 2, "batch_size": 2, "test_clips": 1}""");
        var run = CliProcess.Run("train", "--model", "r2plus1d18", "--width", "0.125", "--data", data.Root, "--config", config, "--out", Path.Combine(work, "out"));
        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        Assert.Matches(@"^error: training epoch 1 step \d+: the loss is (NaN|-?Infinity)", run.Stderr);
        Assert.Contains("lr (now 1E+30)", run.Stderr);
        Assert.DoesNotContain("Unhandled", run.Stderr);
        Assert.False(File.Exists(Path.Combine(work, "out", "result.json")));
    }

    private static void Poison(nn.Module model, string name)
    {
        using var noGrad = no_grad();
        var p = model.named_parameters().Single(n => n.name == name).parameter;
        using var nan = full(p.shape, double.NaN, p.dtype);
        p.copy_(nan);
    }

    private static List<Tensor> Weights(BilevelSearch search) => search.Model.WeightParameters.Select(p => p.detach().clone()).ToList();

    private static void AssertUnchanged(List<Tensor> before, List<Tensor> after)
    {
        for (int i = 0; i < before.Count; i++) Assert.True(before[i].allclose(after[i], rtol: 0, atol: 0, equal_nan: true), $"weight {i} moved");
    }

    private static ClipBatch Batch(long seed)
    {
        using var g = new Generator((ulong)seed);
        return new ClipBatch(randn([3, 2, 3, 2, 16, 16], generator: g), randint(0, 3, [3], generator: g));
    }
}
