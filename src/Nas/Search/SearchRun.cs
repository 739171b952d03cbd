using System.Diagnostics;
using VideoNas.Core.Search;
using VideoNas.Core.Telemetry;

namespace VideoNas.Nas.Search;

/// <summary>
/// The DARTS search loop, as train_search.py and architect.py run it, over any set of replicas. Each step:
/// an α step on the α-split (held out from w), skipped during <c>warmup_epochs</c>, first or second order
/// (second order unrolls w on the w-split batch that the w step then uses), then a w step on the w-split.
/// Each epoch end: the learning-rate schedule advances, the genotype is derived from α (top-2 incoming
/// edges per node, argmax op excluding <c>none</c>), and alphas.json, genotype.json and a history line are
/// written; the search stops early once the genotype has held for <c>stop_when_stable_epochs</c>.
/// Checkpoints fall due every <c>checkpoint_every</c> steps and at every epoch end; replicas are compared
/// every <c>replica_check_every</c> steps and at the end. What to record and where is the observer's.
/// </summary>
public sealed class SearchRun<TStep> where TStep : IStepMetrics
{
    private readonly SearchConfig _config;
    private readonly ISearchReplicas<TStep> _replicas;
    private readonly ISearchObserver<TStep> _observer;
    private readonly string _outputDir;

    public SearchRun(SearchConfig config, ISearchReplicas<TStep> replicas, ISearchObserver<TStep> observer, string outputDir)
    {
        (_config, _replicas, _observer, _outputDir) = (config, replicas, observer, outputDir);
        StepsPerEpoch = config.StepsPerEpoch > 0 ? Math.Min(config.StepsPerEpoch, replicas.BatchesPerEpoch) : replicas.BatchesPerEpoch;
    }

    public int StepsPerEpoch { get; }
    public int TotalSteps => StepsPerEpoch * _config.Epochs;

    /// <summary>
    /// Steps from <paramref name="start"/> (0, or a checkpoint's step) to the end or to an early stop, whose
    /// reason it returns. <paramref name="genotypes"/> are the genotypes of the epochs before <paramref name="start"/>.
    /// </summary>
    public async Task<string?> RunAsync(int start, IReadOnlyList<string> genotypes, CancellationToken cancel)
    {
        var history = genotypes.ToList();
        string? stopReason = null;
        for (int step = start; step < TotalSteps && !cancel.IsCancellationRequested; step++)
        {
            long started = Stopwatch.GetTimestamp();
            using var span = VideoNasTelemetry.Source.StartActivity("search step")?.SetTag("videonas.step", step + 1);
            var arch = !_config.SinglePath && step / StepsPerEpoch >= _config.WarmupEpochs ? await _replicas.ArchStep(_config.SecondOrder) : null;
            var train = await _replicas.WeightStep();
            int done = step + 1;
            await _observer.StepDone(done, arch, train, Stopwatch.GetElapsedTime(started));
            if (_replicas.Count > 1 && _config.ReplicaCheckEvery > 0 && done % _config.ReplicaCheckEvery == 0) await CheckReplicas(done);

            bool epochEnd = done % StepsPerEpoch == 0;
            if (epochEnd)
            {
                await _replicas.EndEpoch();
                int epoch = done / StepsPerEpoch;
                history.Add(WriteRunFiles(epoch, await _replicas.AlphasJson()));
                await _observer.EpochDone(epoch, history[^1]);
                int unchanged = GenotypeStability.UnchangedEpochs(history);
                if (_config.StopWhenStableEpochs > 0 && unchanged >= _config.StopWhenStableEpochs)
                    stopReason = $"stopped early after epoch {epoch}: the genotype has not changed for {unchanged} epochs";
            }
            if (epochEnd || (_config.CheckpointEvery > 0 && done % _config.CheckpointEvery == 0)) await _observer.CheckpointDue(done);
            if (stopReason is not null) break;
        }
        if (_replicas.Count > 1 && !cancel.IsCancellationRequested) await CheckReplicas(TotalSteps);
        return stopReason;
    }

    private async Task CheckReplicas(int step)
    {
        var sums = await _replicas.Checksums();
        if (sums.Distinct().Count() > 1)
            throw new ReplicasDivergedException($"the replicas diverged by step {step}: parameter checksums {string.Join(", ", sums.Select((c, i) => $"shard {i} {c}"))}");
    }

    /// <summary>Writes alphas.json and genotype.json atomically, appends the history line, and returns the genotype.</summary>
    private string WriteRunFiles(int epoch, string alphasJson)
    {
        var alphas = SearchFiles.ParseAlphas(alphasJson, "replica alphas");
        var genotype = GenotypeDeriver.Derive(alphas, _config.MaxSkipConnects);
        string genotypeJson = SearchFiles.ToJson(genotype);
        SearchFiles.WriteAtomically(Path.Combine(_outputDir, SearchFiles.AlphasFileName), alphasJson);
        SearchFiles.WriteAtomically(Path.Combine(_outputDir, SearchFiles.GenotypeFileName), genotypeJson);
        File.AppendAllText(Path.Combine(_outputDir, SearchFiles.HistoryFileName), SearchFiles.HistoryLine(epoch, genotype, alphas) + "\n");
        return genotypeJson;
    }
}
