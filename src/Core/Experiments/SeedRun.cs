namespace VideoNas.Core.Experiments;

/// <summary>One finished epoch of a seed's search: mean losses and accuracies of its w and α steps.</summary>
public sealed record SeedEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double? ArchLoss, double? ArchAccuracy);

/// <summary>
/// What the comparison of seeds needs of one trial: its state and genotype, its epochs, how long it searched,
/// why it stopped early if it did, and its run folder (with <c>genotype_history.jsonl</c> for α over the epochs).
/// </summary>
public sealed record SeedRun(
    long Seed,
    string TrialId,
    string State,
    string? GenotypeJson,
    IReadOnlyList<SeedEpoch> Epochs,
    double? SearchSeconds,
    string? StopReason,
    string OutputDir)
{
    public SeedEpoch? Last => Epochs.Count == 0 ? null : Epochs[^1];
}
