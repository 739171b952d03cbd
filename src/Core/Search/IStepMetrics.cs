namespace VideoNas.Core.Search;

/// <summary>What a search loop reads of one replica's step, whatever else the step's record carries (timings, say).</summary>
public interface IStepMetrics
{
    double Loss { get; }
    double Accuracy { get; }
    long Clips { get; }
}
