using System.Diagnostics;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Core.Selection;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Selection;

/// <summary>How to choose a genotype from a trained supernet (<see cref="SelectionMethods"/>), and what each method may spend.</summary>
/// <param name="TuneSteps">perturbation: w steps on the w-split after every round of decisions (DARTS-PT fine-tunes between them)</param>
/// <param name="ScoringClips">clips of the α-split every score runs on (0: all of it)</param>
public sealed record SelectionOptions(string Method, int TuneSteps = 2, int ScoringClips = 0, EvolutionarySearch.Settings? Evolution = null, long Seed = 0)
{
    public void Validate()
    {
        if (SelectionMethods.Problem(Method) is { } problem) throw new ArgumentException(problem);
        if (TuneSteps < 0) throw new ArgumentException($"tune steps must not be negative, got {TuneSteps}");
        if (ScoringClips < 0) throw new ArgumentException($"scoring clips must not be negative, got {ScoringClips}");
        (Evolution ?? EvolutionarySearch.Settings.Default).Validate();
    }
}

/// <summary>A selection's genotype, what it cost, and a line per decision.</summary>
public sealed record SelectionOutcome(string Method, Genotype Genotype, int Evaluations, int ScoringClips, double Seconds, IReadOnlyList<string> Log);

/// <summary>Runs a selection method on a trained supernet: the step after the search, before training the genotype from scratch.</summary>
public static class SupernetSelection
{
    public static SelectionOutcome Run(BilevelSearch search, VideoDataset dataset, SelectionOptions options, Action<string>? progress = null)
    {
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var config = search.Config;
        var alphas = search.Model.ExportAlphas();
        var log = new List<string>();
        void Say(string line)
        {
            log.Add(line);
            progress?.Invoke(line);
        }
        if (options.Method == SelectionMethods.Argmax)
            return new(options.Method, GenotypeDeriver.Derive(alphas, config.MaxSkipConnects), 0, 0, Stopwatch.GetElapsedTime(started).TotalSeconds, log);

        using var halves = new SearchData(dataset, config);
        var clips = options.ScoringClips > 0 ? halves.ArchSplit.Take(options.ScoringClips).ToList() : halves.ArchSplit;
        using var scorer = OneShotScorer.On(search.Model, dataset, clips, options.Seed);
        Say($"scoring on {scorer.Clips} α-split clips");
        Genotype genotype;
        int evaluations;
        if (options.Method == SelectionMethods.Evolution)
        {
            var result = EvolutionarySearch.Run(config.Primitives, config.Steps, options.Evolution ?? EvolutionarySearch.Settings.Default,
                g => scorer.Accuracy(g), options.Seed, (generation, best) => Say($"generation {generation + 1}: best one-shot accuracy {best:P1}"));
            (genotype, evaluations) = (result.Best, result.Evaluations);
        }
        else
        {
            void Tune(EdgeMixing mixing)
            {
                if (options.TuneSteps == 0) return;
                search.Model.Mixing = mixing;
                try
                {
                    for (int k = 0; k < options.TuneSteps; k++)
                    {
                        using var batch = halves.NextWeightBatch();
                        search.WeightStep(batch);
                    }
                }
                finally
                {
                    search.Model.Mixing = null;
                }
            }
            var start = EdgeMixing.From(alphas, uniform: options.Method == SelectionMethods.PerturbationUniform);
            var result = PerturbationSelection.Run(start, config.Primitives, config.Steps, scorer.Score, Tune, options.Seed,
                d => Say($"{d.Cell} {d.Kind} {d.Index}: keeps {d.Chosen} (" +
                    string.Join(", ", d.Trials.Select(t => $"without {t.Removed} {t.Score.Accuracy:P0}/{t.Score.Loss:F3}")) + ")"));
            (genotype, evaluations) = (result.Genotype, result.Evaluations);
        }
        return new(options.Method, genotype, evaluations, scorer.Clips, Stopwatch.GetElapsedTime(started).TotalSeconds, log);
    }
}
