using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;
using Polly;
using Polly.Retry;
using VideoNas.Core.Search;
using VideoNas.Core.Telemetry;
using VideoNas.Nas.Search;

namespace VideoNas.Grains;

/// <summary>
/// Runs a trial's search loop as a background turn sequence of this activation, so status and cancel
/// calls interleave with it. It leases one device per shard from the silos' device registries, links the
/// shards into an all-reduce ring, and orders every step: the α step on all shards at once, then the w
/// step on all shards at once. Every epoch end derives the genotype and writes the run files; every
/// <c>checkpoint_every</c> steps and every epoch end, shard 0 writes a checkpoint and the record points
/// at it. When a shard fails (its silo died, its ring broke) the trial abandons the attempt, leases
/// devices again (waiting for a replacement silo if it must) and continues from that checkpoint; when
/// this coordinator's own silo dies, the next activation (woken by a <see cref="TrialKeeper"/>) does the same.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The token source has no timer, so there is nothing to dispose.")]
public sealed class TrialCoordinatorGrain(
    [PersistentState("trial", VideoNasStorage.Name)] IPersistentState<TrialRecord> state,
    IOptions<RecoveryOptions> recoveryOptions,
    IOptions<PathOptions> paths,
    ILocalSiloDetails silo,
    ILogger<TrialCoordinatorGrain> logger) : Grain, ITrialCoordinatorGrain
{
    private readonly RecoveryOptions _recovery = recoveryOptions.Value;
    // Replaced when a cancelled trial is resumed.
    private CancellationTokenSource _cancel = new();
    // Set when the trial's experiment stops it early: it then ends Stopped, with this reason.
    private string? _stopReason;
    private bool _finishing;
    // Not persisted: it describes the running attempt, and a new attempt (other silos, maybe) starts it afresh.
    private StepTiming? _timing;
    private Task? _run;

    private string Id => this.GetPrimaryKeyString();
    private TrialRecord R => state.State;
    private DeviceLeases Leases => new(GrainFactory, Id, _recovery.CallTimeout);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (state.RecordExists && !R.State.IsTerminal() && R.Spec is { } spec)
        {
            // The activation that ran this trial died with its silo (or the whole cluster stopped).
            logger.LogWarning("trial {Trial}: resuming from step {Step} on a new activation", Id, R.Checkpoint?.Step ?? 0);
            BeginRecovery("its coordinator's silo stopped");
            _run = RunAsync(spec, SearchConfig.FromJson(spec.ConfigJson, "trial config"), resumed: true);
        }
    }

    public async Task<TrialStatus> Submit(TrialSpec spec)
    {
        TrialId.Validate(Id);
        if (state.RecordExists)
            return R.Spec == spec ? Status()
                : throw new ArgumentException($"trial \"{Id}\" already exists with another config, dataset or output; choose another id");
        var config = SearchConfig.FromJson(spec.ConfigJson, "trial config");
        if (spec.Shards < 1 || config.BatchSize % spec.Shards != 0)
            throw new ArgumentException($"--shards {spec.Shards}: must be at least 1 and divide batch_size ({config.BatchSize}), so every shard gets an equal share");
        paths.Value.Check(spec);
        if (spec.DataPlane is not (TrialSpec.TcpDataPlane or TrialSpec.OrleansDataPlane))
            throw new ArgumentException($"--data-plane \"{spec.DataPlane}\": must be {TrialSpec.TcpDataPlane} or {TrialSpec.OrleansDataPlane}");
        state.State = new TrialRecord { Spec = spec, Epochs = config.Epochs, SubmittedUtc = DateTime.UtcNow };
        await Persist();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Trials).Register(Id);
        _run = RunAsync(spec, config, resumed: false);
        return Status();
    }

    public Task<TrialStatus> GetStatus() => Task.FromResult(Status());

    public async Task<TrialStatus> Cancel()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no trial \"{Id}\"");
        if (R.State.IsTerminal()) return Status();
        _cancel.Cancel();
        if (_run is not null) await _run;
        return Status();
    }

    public Task<TrialStatus> Stop(string reason)
    {
        if (state.RecordExists && !R.State.IsTerminal()) StopSoon(reason);
        return Cancel();
    }

    public async Task<DeletedRun> Delete(bool files, bool byExperiment)
    {
        // An experiment's delete that stopped half-way goes again over seeds already gone.
        if (!state.RecordExists && byExperiment) return new DeletedRun(Id, 0, []);
        if (!state.RecordExists || R.Spec is not { } spec) throw new KeyNotFoundException($"no trial \"{Id}\"");
        if (spec.Experiment is { } experiment && !byExperiment)
            throw new InvalidOperationException($"trial \"{Id}\" is a seed of experiment \"{experiment}\": delete the experiment");
        if (!R.State.IsTerminal() || _run is { IsCompleted: false })
            throw new InvalidOperationException($"trial \"{Id}\" is {R.State}: cancel it first");
        var (deleted, kept) = files ? RunFiles.OfTrial(spec.OutputDir, CheckpointFolder.Of(_recovery, Id, spec)) : (0, []);
        await state.ClearStateAsync();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Trials).Forget(Id);
        DeactivateOnIdle();
        return new DeletedRun(Id, deleted, kept);
    }

    public async Task<TrialStatus> Resume()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no trial \"{Id}\"");
        if (!R.State.IsResumable() || _run is { IsCompleted: false } || R.Spec is not { } spec) return Status();
        (_cancel, _stopReason) = (new CancellationTokenSource(), null);
        (R.State, R.Error, R.EndedUtc) = (TrialState.Pending, null, null);
        R.Notice = $"resumed by the user from the checkpoint at step {R.Checkpoint?.Step ?? 0}";
        await Persist();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Trials).Register(Id);
        _run = RunAsync(spec, SearchConfig.FromJson(spec.ConfigJson, "trial config"), resumed: true);
        return Status();
    }

    private async Task RunAsync(TrialSpec spec, SearchConfig config, bool resumed)
    {
        // The trial's span: a child of the submit call's (Orleans carries the caller's trace), or a new trace on resume.
        using var activity = VideoNasTelemetry.Source.StartActivity(resumed ? "trial resumed" : "trial");
        // Every log line of the run, the shards' calls included, carries the trial and its seed.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TrialId"] = Id, ["Seed"] = config.Seed });
        activity?.SetTag("videonas.trial", Id).SetTag("videonas.seed", config.Seed).SetTag("videonas.shards", spec.Shards);
        TrialState final;
        try
        {
            // A resumed trial's first activation may have died before it wrote these; writing them again changes nothing.
            Directory.CreateDirectory(spec.OutputDir);
            SearchFiles.WriteAtomically(Path.Combine(spec.OutputDir, "config.json"), config.ToJson());
            if (resumed) await Abandon();
            while (true)
            {
                try
                {
                    await Attempt(spec, config);
                    break;
                }
                // Shards open only the record's checkpoint, so an unreadable checkpoint is that one.
                catch (CheckpointUnreadableException e) when (!_cancel.IsCancellationRequested && R.Recoveries < _recovery.MaxRecoveries
                    && R.Checkpoint is { } damaged && R.SpareCheckpoint is { } spare)
                {
                    logger.LogWarning(e, "trial {Trial}: its checkpoint at step {Step} cannot be read; going back to the spare at step {Spare}", Id, damaged.Step, spare.Step);
                    (R.Checkpoint, R.SpareCheckpoint) = (spare, null);
                    BeginRecovery($"{e.Message}; going back to the spare checkpoint");
                    await Abandon();
                    await Persist();
                }
                catch (Exception e) when (!_cancel.IsCancellationRequested && TransientFaults.Are(e) && R.Recoveries < _recovery.MaxRecoveries)
                {
                    logger.LogWarning(e, "trial {Trial}: a shard failed at step {Step}; continuing from the checkpoint at step {Checkpoint}",
                        Id, R.Step, R.Checkpoint?.Step ?? 0);
                    BeginRecovery(e.Message);
                    await Abandon();
                    await Persist();
                }
            }
            final = _cancel.IsCancellationRequested ? CancelledState() : TrialState.Completed;
        }
        catch (Exception e)
        {
            logger.LogError(e, "trial {Trial} failed", Id);
            final = _cancel.IsCancellationRequested ? CancelledState() : TrialState.Failed;
            // A non-finite loss or gradient fails the step after the last one recorded.
            R.Error = final != TrialState.Failed ? null : e is Nas.Optim.NonFiniteValueException ? $"step {R.Step + 1} of {R.TotalSteps}: {e.Message}" : e.Message;
        }
        // Status calls interleave with these awaits: until the terminal state is stored they keep
        // seeing Running, so nobody acts on an outcome a crash could still lose.
        _finishing = true;
        try
        {
            await Abandon();
            R.State = final;
            R.EndedUtc = DateTime.UtcNow;
            if (final == TrialState.Stopped) R.StopReason = _stopReason;
            await Persist();
            await GrainFactory.GetGrain<ITrialRegistryGrain>(Registries.Trials).Finished(Id);
        }
        catch (Exception e)
        {
            // The keeper wakes a trial the registry still lists as unfinished; its record says it ended.
            logger.LogError(e, "trial {Trial}: recording its end ({State}) failed", Id, final);
        }
        finally
        {
            _finishing = false;
        }
        activity?.SetTag("videonas.state", final.ToString());
    }

    /// <summary>One attempt: lease, open (from the last checkpoint if there is one), then let <see cref="SearchRun{TStep}"/> step to the end.</summary>
    private async Task Attempt(TrialSpec spec, SearchConfig config)
    {
        var devices = await LeaseDevices(spec);
        R.StartedUtc ??= DateTime.UtcNow;
        // Recorded before opening, so that an attempt failing half-way open is still closed by Abandon.
        R.Shards = devices.Select((d, i) => new ShardInfo(i, d.Silo)).ToList();
        var group = new ShardGroup(GrainFactory, Id);
        await group.Open(devices, spec, R.Checkpoint?.Path);
        R.Shards = group.Shards.Select((_, i) => new ShardInfo(i, group.SiloOf(i), group.DataPlaneOf(i))).ToList();
        var recorder = new AttemptRecorder(this, group, spec, config.Seed);
        var run = new SearchRun<StepMetrics>(config, group, recorder, spec.OutputDir);
        R.TotalSteps = run.TotalSteps;
        recorder.Rewind(run.StepsPerEpoch);
        R.State = TrialState.Running;
        if (R.Recoveries > 0) R.Notice = $"resumed at step {R.Step} after {R.Recoveries} recovery(ies); last cause: {R.RecoveryCause}";
        await Persist();
        _timing = null;
        DelayDeactivation(TimeSpan.FromHours(1));
        R.StopReason = await run.RunAsync(R.Step, R.History.Select(h => h.GenotypeJson).ToList(), _cancel.Token);
    }

    /// <summary>Keeps the trial's record as the search runs: metrics, timing, history, checkpoints.</summary>
    private sealed class AttemptRecorder(TrialCoordinatorGrain trial, ShardGroup group, TrialSpec spec, long seed) : ISearchObserver<StepMetrics>
    {
        private MetricsSum _train = MetricsSum.Zero, _arch = MetricsSum.Zero;
        private TrialRecord R => trial.R;

        /// <summary>Puts the record back at the last checkpoint, with the running sums of the epoch it lies in.</summary>
        public void Rewind(int stepsPerEpoch) => (_train, _arch) = trial.RewindToCheckpoint(spec, stepsPerEpoch);

        public Task StepDone(int step, IReadOnlyList<StepMetrics>? arch, IReadOnlyList<StepMetrics> train, TimeSpan wall)
        {
            // Calls out of the grain do not count as activity; keep it alive while it works.
            trial.DelayDeactivation(TimeSpan.FromHours(1));
            if (arch is not null) _arch = _arch.Add(R.Arch = Mean(arch));
            _train = _train.Add(R.Train = Mean(train));
            // The attempt's first step builds lazily allocated state on every shard: warm-up, not a step time.
            StepMetrics[][] calls = arch is null ? [[.. train]] : [[.. arch], [.. train]];
            trial._timing = trial._timing is null ? StepTiming.None : trial._timing.Add(wall.TotalSeconds, calls);
            StepMeters.Record(trial.Id, arch, train, wall);
            R.Step = step;
            R.UpdatedUtc = DateTime.UtcNow;
            return Task.CompletedTask;
        }

        public async Task EpochDone(int epoch, string genotypeJson)
        {
            R.Epoch = epoch;
            R.GenotypeJson = genotypeJson;
            R.History.Add(new EpochSummary(epoch, _train.Mean!, _arch.Mean, genotypeJson));
            (_train, _arch) = (MetricsSum.Zero, MetricsSum.Zero);
            // Every shard decodes the whole training list (they draw the same global batches), so any one's count is the trial's.
            R.BadClips = await group.Shards[0].GetBadClipCount();
            if (epoch < R.Epochs && await trial.JudgedByExperiment(spec, seed) is { } reason) trial.StopSoon(reason);
        }

        public Task CheckpointDue(int step) => trial.Checkpoint(group, spec, _train, _arch);

        private static StepMetrics Mean(IReadOnlyList<StepMetrics> shards) => MetricsSum.Of(shards).Mean!;
    }

    /// <summary>
    /// Asks the trial's experiment whether the median rule stops it after this epoch. An experiment that does
    /// not answer (its silo just died) stops nothing: the trial goes on.
    /// </summary>
    private async Task<string?> JudgedByExperiment(TrialSpec spec, long seed)
    {
        if (spec.Experiment is not { } experiment) return null;
        try
        {
            var curve = R.History.Select(h => h.Arch?.Accuracy ?? 0).ToList();
            return await GrainFactory.GetGrain<IExperimentGrain>(experiment).EpochEnded(seed, curve).WaitAsync(_recovery.CallTimeout);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "trial {Trial}: its experiment {Experiment} did not judge the epoch; going on", Id, experiment);
            return null;
        }
    }

    /// <summary>Ends the trial Stopped, with the reason, after the step in flight.</summary>
    private void StopSoon(string reason)
    {
        _stopReason = reason;
        _cancel.Cancel();
    }

    /// <summary>
    /// Puts the record back where the last checkpoint was taken (the work after it is done again) and
    /// returns the running sums of the epoch it lies in. Without a checkpoint: the very start.
    /// </summary>
    private (MetricsSum Train, MetricsSum Arch) RewindToCheckpoint(TrialSpec spec, int steps)
    {
        var c = R.Checkpoint;
        R.Step = (int)(c?.Step ?? 0);
        R.Epoch = R.Step / steps;
        R.History.RemoveAll(h => h.Epoch > R.Epoch);
        R.GenotypeJson = R.History.LastOrDefault()?.GenotypeJson;
        // Lines of epochs after the checkpoint (or any, without one) are written again as those epochs end.
        SearchFiles.TrimHistory(Path.Combine(spec.OutputDir, SearchFiles.HistoryFileName), R.Epoch);
        return (c?.EpochTrain ?? MetricsSum.Zero, c?.EpochArch ?? MetricsSum.Zero);
    }

    private async Task Checkpoint(ShardGroup group, TrialSpec spec, MetricsSum trainSum, MetricsSum archSum)
    {
        string dir = CheckpointFolder.Of(_recovery, Id, spec);
        string path = CheckpointFolder.FileFor(dir, R.Step);
        long started = Stopwatch.GetTimestamp();
        await group.Shards[0].SaveCheckpoint(path, R.Step);
        VideoNasTelemetry.CheckpointDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, VideoNasTelemetry.Trial(Id));
        VideoNasTelemetry.CheckpointSize.Record(new FileInfo(path).Length, VideoNasTelemetry.Trial(Id));
        var previous = R.Checkpoint;
        (R.Checkpoint, R.SpareCheckpoint) = (new CheckpointRef(path, R.Step, trainSum, archSum), previous);
        await Persist();
        // The record now points at the new file; the one before it stays as a spare, older ones go.
        foreach (var old in Directory.GetFiles(dir, "step-*.ckpt").Where(f => f != path && f != previous?.Path))
            TryDelete(old);
    }

    private void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "trial {Trial}: could not delete the old checkpoint {File}", Id, file);
        }
    }

    private TrialState CancelledState() => _stopReason is null ? TrialState.Cancelled : TrialState.Stopped;

    /// <summary>
    /// Waits in the cluster's device queue until this trial is first and its devices are free, renewing its
    /// place every poll and saying in <see cref="TrialRecord.Notice"/> what it waits for. A trial asking for
    /// more devices than the whole cluster has fails once the cluster has not grown for
    /// <see cref="RecoveryOptions.CapacityWait"/> (<see cref="RecoveryOptions.DeviceWait"/> when recovering).
    /// </summary>
    private async Task<List<DeviceSlot>> LeaseDevices(TrialSpec spec)
    {
        int count = spec.Shards;
        var limit = R.Recoveries > 0 ? _recovery.DeviceWait : _recovery.CapacityWait;
        var queue = GrainFactory.GetGrain<IDeviceQueueGrain>(0);
        var entry = new QueueEntry(Id, spec.Priority, R.SubmittedUtc);
        DateTime? tooSmallSince = null;
        long since = System.Diagnostics.Stopwatch.GetTimestamp();
        VideoNasTelemetry.QueueWaiting.Add(1);
        try
        {
            while (true)
            {
                int ahead = await PlaceInQueue(queue, entry);
                DeviceCensus census;
                if (ahead == 0)
                {
                    (var devices, census) = await Leases.TryLease(count);
                    if (devices is not null) return devices;
                }
                else
                {
                    census = await Leases.Census();
                }
                tooSmallSince = census.Total >= count ? null : tooSmallSince ?? DateTime.UtcNow;
                if (DateTime.UtcNow - tooSmallSince >= limit)
                    throw new NotEnoughDevicesException($"the trial needs {count} devices but the whole cluster has {census.Total} " +
                        $"(on {census.Silos} silo(s)), and no silo joined within {limit}");
                R.Notice = $"waiting for {count} device(s): {census.Describe()}; {ahead} trial(s) ahead in the queue";
                await Task.Delay(_recovery.QueuePoll, _cancel.Token);
            }
        }
        finally
        {
            VideoNasTelemetry.QueueWaiting.Add(-1);
            VideoNasTelemetry.QueueWait.Record(System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalSeconds);
            await LeaveQueue(queue);
        }
    }

    /// <summary>How many trials are ahead; when the queue's silo cannot answer, none (the queue is rebuilt a poll later).</summary>
    private async Task<int> PlaceInQueue(IDeviceQueueGrain queue, QueueEntry entry)
    {
        try
        {
            return await queue.Wait(entry).WaitAsync(_recovery.CallTimeout);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_cancel.IsCancellationRequested)
        {
            logger.LogWarning(e, "trial {Trial}: the device queue did not answer; trying to lease without it", Id);
            return 0;
        }
    }

    private async Task LeaveQueue(IDeviceQueueGrain queue)
    {
        try
        {
            await queue.Leave(Id).WaitAsync(_recovery.CallTimeout);
        }
        catch (Exception e)
        {
            // Its entry expires unless renewed.
            logger.LogWarning(e, "trial {Trial}: leaving the device queue failed", Id);
        }
    }

    private void BeginRecovery(string cause)
    {
        R.Recoveries++;
        VideoNasTelemetry.Recoveries.Add(1, VideoNasTelemetry.Trial(Id));
        R.RecoveryCause = cause;
        R.Notice = $"recovering from the checkpoint at step {R.Checkpoint?.Step ?? 0} (recovery {R.Recoveries}): {cause}";
    }

    /// <summary>Closes every shard of the last attempt and frees the trial's devices; silos that are gone are skipped.</summary>
    private async Task Abandon()
    {
        await ShardGroup.CloseAll(GrainFactory, R.Shards.Select(s => ShardGroup.Key(Id, s.Index, s.Silo)), _recovery.CallTimeout);
        await Leases.ReleaseAll();
    }

    /// <summary>
    /// Stores the record, retrying while the storage (Redis) is unreachable, up to <see cref="RecoveryOptions.StorageRetry"/>.
    /// A record that cannot be serialised would fail every retry the same way, so that is not retried.
    /// </summary>
    private async Task Persist()
    {
        R.UpdatedUtc = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + _recovery.StorageRetry;
        var retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e =>
                e is not (InconsistentStateException or System.Text.Json.JsonException or NotSupportedException or ArgumentException) && DateTime.UtcNow < deadline),
            MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Linear, Delay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(5),
            UseJitter = false,
            OnRetry = args =>
            {
                if (args.AttemptNumber == 0) logger.LogWarning(args.Outcome.Exception, "trial {Trial}: storing its state failed; retrying until {Deadline:u}", Id, deadline);
                return default;
            },
        }).Build();
        // The write and every retry stay on this grain's scheduler.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true);
        try
        {
            await retry.ExecuteAsync(async _ => await state.WriteStateAsync(), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private TrialStatus Status() => new(Id, _finishing ? TrialState.Running : R.State, R.Epoch, R.Epochs, R.Step, R.TotalSteps, R.Train, R.Arch,
        R.GenotypeJson, R.Error, R.Spec?.OutputDir ?? "", R.Shards, R.BadClips, R.UpdatedUtc, R.History, R.StopReason,
        R.Checkpoint?.Step ?? 0, R.Recoveries, R.Notice, silo.SiloAddress.ToParsableString(), _timing is { Steps: > 0 } t ? t : null,
        R.StartedUtc, R.EndedUtc);
}

/// <summary>The cluster has fewer free devices than the trial has shards.</summary>
public sealed class NotEnoughDevicesException(string message) : InvalidOperationException(message);

