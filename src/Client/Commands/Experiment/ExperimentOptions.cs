using VideoNas.Core.Experiments;
using VideoNas.Core.Search;
using VideoNas.Grains;

namespace VideoNas.Client.Commands.Experiment;

/// <summary>The options that describe an experiment, shared by <c>experiment run</c> and <c>experiment submit</c>.</summary>
internal sealed class ExperimentOptions(bool embedded)
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = embedded ? "the search config (JSON): the fields it names, over the demo's small CPU config" : "the search config (JSON)",
        Required = !embedded, HelpName = "FILE",
    };

    public Option<string?> Data { get; } = new("--data")
    {
        Description = embedded ? "the dataset; default: the synthetic one under --state" : "the dataset, at a path every silo can read",
        Required = !embedded, HelpName = "DIR",
    };

    public Option<string> Seeds { get; } = new("--seeds")
    {
        Description = "N for seeds 0..N-1, a list (3,7,11) or a range (5..8); one trial per seed", DefaultValueFactory = _ => "3", HelpName = "SEEDS",
    };

    public Option<int> Parallel { get; } = CliOptions.Number("--parallel", embedded ? 1 : 0,
        embedded ? "trials run at once (the in-process silo gets P × S devices)" : "at most P trials of this experiment at once (0: all seeds)", "P");

    public Option<int> Shards { get; } = CliOptions.Number("--shards-per-trial", 1, "data-parallel shards of each trial, one device each; batch_size must divide by S", "S");
    public Option<int?> Epochs { get; } = CliOptions.Override<int>("--epochs", "search epochs (default: the config's)");
    public Option<string?> Out { get; } = CliOptions.Out("the experiment's folder: summary files, and seed-S/ per trial (default <state>/runs/<id>)");
    public Option<string?> Id { get; } = new("--id") { Description = "the experiment id (default exp-<UTC time>-<random>); the same id and options again follow the existing experiment", HelpName = "ID" };
    public Option<int> Split { get; } = CliOptions.Split();
    public Option<int> SplitSeed { get; } = CliOptions.SplitSeed();
    public Option<int> Priority { get; } = CliOptions.Number("--priority", 0, "a higher priority goes ahead of earlier trials in the cluster's device queue");
    public Option<int> StopBelowMedian { get; } = CliOptions.Number("--stop-below-median-after", 0,
        "from epoch K on, stop a trial whose α-split accuracy is below its peers' median at the same epoch (0: never)", "K");

    public IEnumerable<Option> All => [Config, Data, Seeds, Parallel, Shards, Epochs, Out, Id, Split, SplitSeed, Priority, StopBelowMedian];

    /// <summary>The experiment's id and spec from the options; <paramref name="dataRoot"/> and <paramref name="outRoot"/> resolve the defaults.</summary>
    public (string Id, ExperimentSpec Spec, SearchConfig Config) Read(ParseResult r, Func<SearchConfig, string> dataRoot, string outRoot)
    {
        string id = r.GetValue(Id) ?? TrialId.New("exp");
        if (TrialId.Problem(id) is { } badId) throw new UsageException($"--id: {badId}");
        var seeds = CliOptions.AsUsage(() => SeedList.Parse(r.GetValue(Seeds)!));
        string? configPath = r.GetValue(Config);
        var config = DemoCommand.ConfigOrDemo(configPath);
        config = config with { Epochs = r.GetValue(Epochs) ?? config.Epochs };
        config.Validated(configPath ?? "demo config");
        int parallel = r.GetValue(Parallel);
        if (parallel < 0) throw new UsageException($"--parallel {parallel}: must be at least 1 (or 0 for all seeds)");
        string output = Path.GetFullPath(r.GetValue(Out) ?? Path.Combine(outRoot, id));
        var spec = new ExperimentSpec(config.ToJson(), dataRoot(config), r.GetValue(Split), output, seeds, parallel == 0 ? seeds.Count : parallel,
            r.GetValue(Shards), TrialSpec.TcpDataPlane, r.GetValue(SplitSeed), r.GetValue(Priority), r.GetValue(StopBelowMedian));
        return (id, spec, config);
    }
}
