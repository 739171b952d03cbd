using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoNas.Core.Experiments;
using VideoNas.Core.Reporting;
using VideoNas.Core.Search;

namespace VideoNas.Grains.Experiments;

/// <summary>
/// Runs an experiment by reconciling, every <see cref="Period"/>, what is with what should be: it reads its
/// trials' states, submits the next seeds while fewer than
/// <see cref="ExperimentSpec.Parallel"/> run, rewrites the comparison files when a trial has ended, and ends
/// when every seed's trial has. Everything it acts on is in the trials' records and its own, so an
/// activation on another silo (its silo died; the keeper wakes it) simply goes on. Its trials report every
/// epoch, and the median rule (when asked for) answers whether they stop.
/// </summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", VideoNasStorage.Name)] IPersistentState<ExperimentRecord> state,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private IGrainTimer? _timer;
    private Dictionary<long, TrialStatus> _trials = [];
    private int _endedInReport = -1;
    // α-split accuracy per epoch as each seed's trial reported it.
    private readonly Dictionary<long, IReadOnlyList<double>> _curves = [];

    private string Id => this.GetPrimaryKeyString();
    private ExperimentRecord R => state.State;
    private ExperimentSpec Spec => R.Spec!;
    // Parsed once per activation: every reconciliation and report reads it.
    private SearchConfig Config => _config ??= SearchConfig.FromJson(Spec.ConfigJson, "experiment config");
    private SearchConfig? _config;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (state.RecordExists && !R.State.IsTerminal()) Start();
    }

    public async Task<ExperimentStatus> Submit(ExperimentSpec spec)
    {
        if (state.RecordExists)
            return R.Spec!.SameAs(spec) ? await GetStatus()
                : throw new ArgumentException($"experiment \"{Id}\" already exists with another spec; choose another id");
        Validate(Id, spec);
        state.State = new ExperimentRecord { Spec = spec, CreatedUtc = DateTime.UtcNow };
        await Write();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Register(Id);
        await Reconcile();
        Start();
        return await GetStatus();
    }

    /// <summary>With the trials' current statuses, read now: the last reconciliation's may be a period old.</summary>
    public async Task<ExperimentStatus> GetStatus()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no experiment \"{Id}\"");
        return Status(await ReadTrials());
    }

    /// <summary>The current status of every submitted seed's trial.</summary>
    private async Task<Dictionary<long, TrialStatus>> ReadTrials()
    {
        var seeds = R.Submitted.ToList();
        var statuses = await Task.WhenAll(seeds.Select(seed => Trial(seed).GetStatus()));
        return seeds.Zip(statuses).ToDictionary(p => p.First, p => p.Second);
    }

    public async Task<ExperimentStatus> Cancel()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no experiment \"{Id}\"");
        if (R.State.IsTerminal()) return await GetStatus();
        R.CancelRequested = true;
        await Write();
        await Task.WhenAll(R.Submitted.Select(seed => Trial(seed).Cancel()));
        await Reconcile();
        return await GetStatus();
    }

    public async Task<ExperimentStatus> Resume()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no experiment \"{Id}\"");
        if (!R.State.IsResumable()) return await GetStatus();
        (R.State, R.CancelRequested, R.Error) = (TrialState.Running, false, null);
        await Write();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Register(Id);
        // Resumed trials count against the parallel limit like running ones; the rest follow as slots free up.
        await Task.WhenAll(R.Submitted.Select(seed => Trial(seed).Resume()));
        await Reconcile();
        Start();
        return await GetStatus();
    }

    public async Task<DeletedRun> Delete(bool files)
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no experiment \"{Id}\"");
        if (!R.State.IsTerminal()) throw new InvalidOperationException($"experiment \"{Id}\" is {R.State}: cancel it first");
        var kept = new List<string>();
        int deleted = 0;
        // Seeds first, each refusing if it still runs; a failure leaves the experiment to delete again.
        foreach (long seed in R.Submitted)
        {
            var trial = await Trial(seed).Delete(files, byExperiment: true);
            (deleted, kept) = (deleted + trial.FilesDeleted, [.. kept, .. trial.Kept]);
        }
        if (files) deleted += RunFiles.OfExperiment(Spec.OutputDir, kept);
        await state.ClearStateAsync();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Forget(Id);
        DeactivateOnIdle();
        return new DeletedRun(Id, deleted, kept);
    }

    private static void Validate(string id, ExperimentSpec spec)
    {
        TrialId.Validate(id);
        if (spec.Seeds.Count == 0) throw new ArgumentException("--seeds: at least one seed");
        if (TrialId.Problem(ExperimentSpec.TrialIdOf(id, spec.Seeds.Max())) is { } tooLong)
            throw new ArgumentException($"experiment id \"{id}\" is too long for its trial ids: {tooLong}");
        if (spec.Parallel < 1) throw new ArgumentException($"--parallel {spec.Parallel}: must be at least 1");
        if (spec.StopBelowMedianAfter < 0) throw new ArgumentException($"--stop-below-median-after {spec.StopBelowMedianAfter}: must be 0 (never) or an epoch");
        var config = SearchConfig.FromJson(spec.ConfigJson, "experiment config");
        if (spec.ShardsPerTrial < 1 || config.BatchSize % spec.ShardsPerTrial != 0)
            throw new ArgumentException($"--shards-per-trial {spec.ShardsPerTrial}: must be at least 1 and divide batch_size ({config.BatchSize})");
    }

    private void Start() => _timer ??= this.RegisterGrainTimer(_ => Reconcile(), new GrainTimerCreationOptions(Period, Period) { KeepAlive = true });

    private ITrialCoordinatorGrain Trial(long seed) => GrainFactory.GetGrain<ITrialCoordinatorGrain>(ExperimentSpec.TrialIdOf(Id, seed));

    private async Task Reconcile()
    {
        if (R.State.IsTerminal()) return;
        _trials = await ReadTrials();
        if (!R.CancelRequested) await SubmitNext();
        int ended = _trials.Values.Count(t => t.State.IsTerminal());
        bool done = _trials.Count == (R.CancelRequested ? R.Submitted.Count : Spec.Seeds.Count) && ended == _trials.Count;
        if (ended != _endedInReport || done) await Report(ended);
        if (!done) return;
        var unfinished = _trials.Values.Where(t => t.State.IsResumable()).ToList();
        R.State = R.CancelRequested ? TrialState.Cancelled : unfinished.Count > 0 ? TrialState.Failed : TrialState.Completed;
        R.Error = unfinished.Count == 0 ? null : string.Join("; ", unfinished.Select(t => $"{t.TrialId} {t.State}{(t.Error is null ? "" : $": {t.Error}")}"));
        await Write();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Experiments).Finished(Id);
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>
    /// The median rule, judged when the trial reports the epoch, against the curves its peers reported (or,
    /// after this grain moved silos, their histories as last read).
    /// </summary>
    public Task<string?> EpochEnded(long seed, IReadOnlyList<double> archAccuracy)
    {
        _curves[seed] = archAccuracy;
        if (!state.RecordExists || Spec.StopBelowMedianAfter == 0 || R.CancelRequested) return Task.FromResult<string?>(null);
        var peers = Spec.Seeds.Where(s => s != seed).Select(Curve).Where(c => c.Count > 0);
        return Task.FromResult(MedianStoppingRule.Check(Spec.StopBelowMedianAfter, archAccuracy.Count, archAccuracy, peers));
    }

    private IReadOnlyList<double> Curve(long seed)
    {
        var reported = _curves.GetValueOrDefault(seed) ?? [];
        var read = _trials.TryGetValue(seed, out var t) ? t.History.Select(h => h.Arch?.Accuracy ?? 0).ToList() : [];
        return read.Count > reported.Count ? read : reported;
    }

    private async Task SubmitNext()
    {
        foreach (long seed in Spec.Seeds.Where(s => !R.Submitted.Contains(s)).ToList())
        {
            if (_trials.Values.Count(t => !t.State.IsTerminal()) >= Spec.Parallel) return;
            var spec = new TrialSpec((Config with { Seed = seed }).ToJson(), Spec.DatasetRoot, Spec.Split, Spec.TrialOutput(seed),
                Spec.ShardsPerTrial, Spec.DataPlane, Spec.SplitSeed, Spec.Priority, Id);
            _trials[seed] = await Trial(seed).Submit(spec);
            R.Submitted.Add(seed);
            await Write();
        }
    }

    /// <summary>Rewrites the comparison files (off the grain's scheduler: plots take CPU); a failure to draw is logged, not fatal.</summary>
    private async Task Report(int ended)
    {
        var summary = new ExperimentSummary(Id, Spec.Seeds.Where(_trials.ContainsKey).Select(s => SeedRunOf(s, _trials[s])).ToList(),
            Config.Primitives.Count(p => p != Primitives.None));
        R.SummaryMarkdown = summary.ToMarkdown();
        string folder = Spec.OutputDir;
        try
        {
            await Task.Run(() => ExperimentReport.Write(summary, folder));
            _endedInReport = ended;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            logger.LogWarning(e, "experiment {Experiment}: writing the comparison files to {Folder} failed", Id, folder);
        }
    }

    private static SeedRun SeedRunOf(long seed, TrialStatus t) => new(seed, t.TrialId, t.State.ToString(), t.GenotypeJson,
        t.History.Select(h => new SeedEpoch(h.Epoch, h.Train.Loss, h.Train.Accuracy, h.Arch?.Loss, h.Arch?.Accuracy)).ToList(),
        t.StartedUtc is { } start ? ((t.EndedUtc ?? DateTime.UtcNow) - start).TotalSeconds : null, t.StopReason, t.OutputDir);

    private string SlotWait(int running) => running < Spec.Parallel
        ? "a slot is free: starting within a second"
        : string.Format(CultureInfo.InvariantCulture, "waiting for a slot: this experiment runs at most {0} trial(s) at once, and {1} run", Spec.Parallel, running);

    private async Task Write()
    {
        R.UpdatedUtc = DateTime.UtcNow;
        await state.WriteStateAsync();
    }

    private ExperimentStatus Status(IReadOnlyDictionary<long, TrialStatus> trials) => new(Id, R.State, Spec,
        Spec.Seeds.Select(seed => trials.TryGetValue(seed, out var t)
            ? new ExperimentTrial(seed, t.TrialId, t.State, t.State == TrialState.Pending ? t.Notice : null, t)
            : new ExperimentTrial(seed, ExperimentSpec.TrialIdOf(Id, seed), R.State.IsTerminal() ? R.State : TrialState.Pending,
                R.State.IsTerminal() ? null : SlotWait(trials.Values.Count(x => !x.State.IsTerminal())), null)).ToList(),
        R.CreatedUtc, R.UpdatedUtc, R.Error, R.SummaryMarkdown);
}
