using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using VideoNas.Core.Search;

namespace VideoNas.Grains;

/// <summary>
/// Runs a trial's search loop as a background turn sequence of this activation, so status and
/// cancel calls interleave with it. It leases one device per shard from the silos' device registries
/// (spreading shards over silos first), links the shards into an all-reduce ring, and orders every
/// step: the α step on all shards at once, then the w step on all shards at once. Every epoch end
/// derives the genotype, writes the run files atomically and persists the record.
/// </summary>
public sealed class TrialCoordinatorGrain(
    [PersistentState("trial", VideoNasStorage.Name)] IPersistentState<TrialRecord> state,
    ILogger<TrialCoordinatorGrain> logger) : Grain, ITrialCoordinatorGrain
{
    private bool _cancelRequested;
    private bool _finishing;
    private Task? _run;

    private string Id => this.GetPrimaryKeyString();
    private TrialRecord R => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && !R.State.IsTerminal())
        {
            // The silo that ran this trial stopped mid-run; resuming from checkpoints is issue #5's work.
            R.State = TrialState.Failed;
            R.Error = "interrupted: the silo running this trial stopped before it finished";
            await Persist();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<TrialStatus> Submit(TrialSpec spec)
    {
        if (state.RecordExists) return Status();
        var config = SearchConfig.FromJson(spec.ConfigJson, "trial config");
        if (spec.Shards < 1 || config.BatchSize % spec.Shards != 0)
            throw new ArgumentException($"--shards {spec.Shards}: must be at least 1 and divide batch_size ({config.BatchSize}), so every shard gets an equal share");
        state.State = new TrialRecord { Spec = spec, Epochs = config.Epochs };
        await Persist();
        await GrainFactory.GetGrain<ITrialRegistryGrain>(0).Register(Id);
        _run = RunAsync(spec, config);
        return Status();
    }

    public Task<TrialStatus> GetStatus() => Task.FromResult(Status());

    public async Task<TrialStatus> Cancel()
    {
        if (!state.RecordExists) throw new KeyNotFoundException($"no trial \"{Id}\"");
        if (R.State.IsTerminal()) return Status();
        _cancelRequested = true;
        if (_run is not null) await _run;
        return Status();
    }

    private async Task RunAsync(TrialSpec spec, SearchConfig config)
    {
        var shards = new List<IShardWorkerGrain>();
        TrialState final;
        try
        {
            Directory.CreateDirectory(spec.OutputDir);
            SearchFiles.WriteAtomically(Path.Combine(spec.OutputDir, "config.json"), config.ToJson());
            var devices = await LeaseDevices(spec.Shards);
            shards.AddRange(devices.Select((d, i) => GrainFactory.GetGrain<IShardWorkerGrain>(BoundKey.Of($"{Id}/{i}", d.Silo))));
            var opened = await Task.WhenAll(shards.Select((s, i) => s.Open(new ShardSpec(Id, i, shards.Count, spec, devices[i]))));
            // A fresh ring id per run: a shard of an earlier, abandoned run can never join this ring.
            string ringId = $"{Id}/{Guid.NewGuid():N}";
            await Task.WhenAll(shards.Select((s, i) => s.LinkRing(new RingSpec(ringId, i, opened.Select(o => o.RingEndpoint).ToList()))));
            int steps = config.StepsPerEpoch > 0 ? Math.Min(config.StepsPerEpoch, opened[0].BatchesPerEpoch) : opened[0].BatchesPerEpoch;
            R.Shards = opened.Select((o, i) => new ShardInfo(i, o.Silo)).ToList();
            R.TotalSteps = steps * config.Epochs;
            R.State = TrialState.Running;
            await Persist();

            for (int epoch = 0; epoch < config.Epochs && !_cancelRequested; epoch++)
            {
                // Calls out of this grain do not count as activity; keep it alive while it works.
                DelayDeactivation(TimeSpan.FromHours(1));
                var trainSteps = new List<StepMetrics>(steps);
                var archSteps = new List<StepMetrics>(steps);
                for (int step = 0; step < steps && !_cancelRequested; step++)
                {
                    // Every shard blocks in the all-reduce until all have contributed, so all are called at once.
                    if (epoch >= config.WarmupEpochs) archSteps.Add(R.Arch = Mean([.. await Task.WhenAll(shards.Select(s => s.ArchStep()))])!);
                    trainSteps.Add(R.Train = Mean([.. await Task.WhenAll(shards.Select(s => s.WeightStep()))])!);
                    R.Step = epoch * steps + step + 1;
                    R.UpdatedUtc = DateTime.UtcNow;
                    if (shards.Count > 1 && config.ReplicaCheckEvery > 0 && R.Step % config.ReplicaCheckEvery == 0) await CheckReplicas(shards);
                }
                if (_cancelRequested) break;
                await Task.WhenAll(shards.Select(s => s.EndEpoch()));
                R.Epoch = epoch + 1;
                await WriteRunFiles(spec.OutputDir, await shards[0].GetAlphasJson(), config);
                R.History.Add(new EpochSummary(R.Epoch, Mean(trainSteps)!, Mean(archSteps), R.GenotypeJson!));
                // Every shard decodes the whole training list (they draw the same global batches), so any one's count is the trial's.
                R.BadClips = await shards[0].GetBadClipCount();
                await Persist();
                int unchanged = GenotypeStability.UnchangedEpochs(R.History.Select(h => h.GenotypeJson).ToList());
                if (config.StopWhenStableEpochs > 0 && unchanged >= config.StopWhenStableEpochs)
                {
                    R.StopReason = $"stopped early after epoch {R.Epoch}: the genotype has not changed for {unchanged} epochs";
                    break;
                }
            }
            if (shards.Count > 1 && !_cancelRequested) await CheckReplicas(shards);
            final = _cancelRequested ? TrialState.Cancelled : TrialState.Completed;
        }
        catch (Exception e)
        {
            logger.LogError(e, "trial {Trial} failed", Id);
            final = TrialState.Failed;
            R.Error = e.Message;
        }
        // Status calls interleave with these awaits: until the terminal state is on disk they keep
        // seeing Running, so nobody acts on an outcome a crash could still lose.
        _finishing = true;
        await Release(shards);
        R.State = final;
        await Persist();
        _finishing = false;
    }

    /// <summary>One device per shard, taken round-robin over the active silos so that shards spread out before doubling up.</summary>
    private async Task<List<DeviceSlot>> LeaseDevices(int count)
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToList();
        var leased = new List<DeviceSlot>();
        for (bool progress = true; leased.Count < count && progress;)
        {
            progress = false;
            foreach (var silo in silos.TakeWhile(_ => leased.Count < count))
                if (await Registry(silo).Lease($"{Id}/{leased.Count}") is { } slot)
                {
                    leased.Add(slot);
                    progress = true;
                }
        }
        if (leased.Count < count)
        {
            await Task.WhenAll(silos.Select(s => Registry(s).Release($"{Id}/")));
            throw new InvalidOperationException($"the trial needs {count} devices but the cluster's {silos.Count} silo(s) have only {leased.Count} free");
        }
        return leased;
    }

    private IDeviceRegistryGrain Registry(string silo) => GrainFactory.GetGrain<IDeviceRegistryGrain>(BoundKey.Of("devices", silo));

    private async Task CheckReplicas(List<IShardWorkerGrain> shards)
    {
        var sums = await Task.WhenAll(shards.Select(s => s.GetChecksum()));
        if (sums.Distinct().Count() > 1)
            throw new InvalidOperationException($"the replicas diverged by step {R.Step}: parameter checksums {string.Join(", ", sums.Select((c, i) => $"shard {i} {c}"))}");
    }

    private async Task Release(List<IShardWorkerGrain> shards)
    {
        foreach (var shard in shards)
        {
            try
            {
                await shard.Close();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "trial {Trial}: closing a shard failed", Id);
            }
        }
        foreach (var silo in shards.Select(s => BoundKey.SiloOf(s.GetPrimaryKeyString())).Distinct())
        {
            try
            {
                await Registry(silo).Release($"{Id}/");
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "trial {Trial}: releasing its devices on {Silo} failed", Id, silo);
            }
        }
    }

    private static StepMetrics? Mean(List<StepMetrics> steps)
    {
        long n = steps.Sum(s => s.Clips);
        return n == 0 ? null : new(steps.Sum(s => s.Loss * s.Clips) / n, steps.Sum(s => s.Accuracy * s.Clips) / n, n);
    }

    private Task WriteRunFiles(string outputDir, string alphasJson, SearchConfig config)
    {
        var alphas = SearchFiles.ParseAlphas(alphasJson, "shard alphas");
        var genotype = GenotypeDeriver.Derive(alphas, config.MaxSkipConnects);
        string genotypeJson = SearchFiles.ToJson(genotype);
        SearchFiles.WriteAtomically(Path.Combine(outputDir, SearchFiles.AlphasFileName), alphasJson);
        SearchFiles.WriteAtomically(Path.Combine(outputDir, SearchFiles.GenotypeFileName), genotypeJson);
        File.AppendAllText(Path.Combine(outputDir, SearchFiles.HistoryFileName), SearchFiles.HistoryLine(R.Epoch, genotype, alphas) + "\n");
        R.GenotypeJson = genotypeJson;
        return Task.CompletedTask;
    }

    private Task Persist()
    {
        R.UpdatedUtc = DateTime.UtcNow;
        return state.WriteStateAsync();
    }

    private TrialStatus Status() => new(Id, _finishing ? TrialState.Running : R.State, R.Epoch, R.Epochs, R.Step, R.TotalSteps, R.Train, R.Arch,
        R.GenotypeJson, R.Error, R.Spec?.OutputDir ?? "", R.Shards, R.BadClips, R.UpdatedUtc, R.History, R.StopReason);
}
