using Microsoft.Extensions.Logging;
using VideoNas.Core.Search;

namespace VideoNas.Grains;

/// <summary>
/// Runs a trial's search loop as a background turn sequence of this activation, so status and
/// cancel calls interleave with it. Every epoch end derives the genotype, writes the run files
/// atomically and persists the record.
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
        if (spec.Shards != 1)
            throw new ArgumentException($"--shards {spec.Shards}: a trial runs on one shard until the gradient all-reduce lands (issue #5)");
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
        var shard = GrainFactory.GetGrain<IShardWorkerGrain>($"{Id}/0");
        TrialState final;
        try
        {
            Directory.CreateDirectory(spec.OutputDir);
            SearchFiles.WriteAtomically(Path.Combine(spec.OutputDir, "config.json"), config.ToJson());
            var opened = await shard.Open(new ShardSpec(Id, 0, 1, spec));
            int steps = config.StepsPerEpoch > 0 ? Math.Min(config.StepsPerEpoch, opened.BatchesPerEpoch) : opened.BatchesPerEpoch;
            R.Shards = [new ShardInfo(0, opened.Silo)];
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
                    if (epoch >= config.WarmupEpochs) archSteps.Add(R.Arch = await shard.ArchStep());
                    trainSteps.Add(R.Train = await shard.WeightStep());
                    R.Step = epoch * steps + step + 1;
                    R.UpdatedUtc = DateTime.UtcNow;
                }
                if (_cancelRequested) break;
                await shard.EndEpoch();
                R.Epoch = epoch + 1;
                await WriteRunFiles(spec.OutputDir, await shard.GetAlphasJson(), config);
                R.History.Add(new EpochSummary(R.Epoch, Mean(trainSteps)!, Mean(archSteps), R.GenotypeJson!));
                R.BadClips = await shard.GetBadClipCount();
                await Persist();
                int unchanged = GenotypeStability.UnchangedEpochs(R.History.Select(h => h.GenotypeJson).ToList());
                if (config.StopWhenStableEpochs > 0 && unchanged >= config.StopWhenStableEpochs)
                {
                    R.StopReason = $"stopped early after epoch {R.Epoch}: the genotype has not changed for {unchanged} epochs";
                    break;
                }
            }
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
        try
        {
            await shard.Close();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "trial {Trial}: closing its shard failed", Id);
        }
        R.State = final;
        await Persist();
        _finishing = false;
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
