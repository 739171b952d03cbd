namespace VideoNas.Grains;

/// <summary>
/// One search configuration run with several seeds, each seed a trial. At most <see cref="Parallel"/> of its
/// trials are submitted at once; each asks for <see cref="ShardsPerTrial"/> devices and waits in the device
/// queue, in submission order across experiments, with <see cref="Priority"/> ahead of order.
/// <see cref="StopBelowMedianAfter"/>: from that epoch on, a trial whose α-split accuracy is below the median of
/// its peers at the same epoch is stopped (0: never).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentSpec(
    [property: Id(0)] string ConfigJson,
    [property: Id(1)] string DatasetRoot,
    [property: Id(2)] int Split,
    [property: Id(3)] string OutputDir,
    [property: Id(4)] IReadOnlyList<long> Seeds,
    [property: Id(5)] int Parallel,
    [property: Id(6)] int ShardsPerTrial = 1,
    [property: Id(7)] string DataPlane = TrialSpec.TcpDataPlane,
    [property: Id(8)] int SplitSeed = 0,
    [property: Id(9)] int Priority = 0,
    [property: Id(10)] int StopBelowMedianAfter = 0)
{
    /// <summary>Records compare lists by reference; two specs are the same experiment when their seeds are the same too.</summary>
    public bool SameAs(ExperimentSpec other) => Seeds.SequenceEqual(other.Seeds) && this with { Seeds = other.Seeds } == other;

    /// <summary>The trial id of one seed: the experiment's id and the seed, so a listing groups them.</summary>
    public static string TrialIdOf(string experimentId, long seed) => $"{experimentId}-s{seed}";

    /// <summary>Each seed's run files go to a folder of its own under the experiment's.</summary>
    public string TrialOutput(long seed) => Path.Combine(OutputDir, $"seed-{seed}");
}

/// <summary>
/// One seed of an experiment: its trial's status once submitted; before that, why it waits.
/// <see cref="Waiting"/> says what a Pending trial waits for (a parallel slot, or devices and its place in the queue).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentTrial(
    [property: Id(0)] long Seed,
    [property: Id(1)] string TrialId,
    [property: Id(2)] TrialState State,
    [property: Id(3)] string? Waiting,
    [property: Id(4)] TrialStatus? Status);

/// <summary>What <c>experiment status</c> shows: every seed's trial and, once trials ended, the comparison of seeds.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentStatus(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] TrialState State,
    [property: Id(2)] ExperimentSpec Spec,
    [property: Id(3)] IReadOnlyList<ExperimentTrial> Trials,
    [property: Id(4)] DateTime CreatedUtc,
    [property: Id(5)] DateTime UpdatedUtc,
    [property: Id(6)] string? Error,
    [property: Id(7)] string? SummaryMarkdown);
