using VideoNas.Core.Search;

namespace VideoNas.Nas.Search;

/// <summary>
/// One replica's α or w step: its loss and accuracy, and where its time went. Compute is everything but
/// the all-reduces; reduce is the time spent in them; overlapped is reduction that backward hid.
/// </summary>
public sealed record ReplicaStep(double Loss, double Accuracy, long Clips, double ComputeSeconds, double ReduceSeconds, long ReducedBytes,
    double OverlappedSeconds) : IStepMetrics;
