namespace VideoNas.Grains.Experiments;

/// <summary>An experiment's persisted state: what was asked, which seeds' trials were submitted, and how it ended.</summary>
[GenerateSerializer]
public sealed class ExperimentRecord
{
    [Id(0)] public ExperimentSpec? Spec { get; set; }
    [Id(1)] public TrialState State { get; set; } = TrialState.Running;
    [Id(2)] public List<long> Submitted { get; set; } = [];
    [Id(3)] public DateTime CreatedUtc { get; set; }
    [Id(4)] public DateTime UpdatedUtc { get; set; }
    [Id(5)] public string? Error { get; set; }
    [Id(6)] public bool CancelRequested { get; set; }
    [Id(7)] public string? SummaryMarkdown { get; set; }
}
