namespace VideoNas.Core.Training;

public sealed record EpochReport(int Epoch, double Loss, double Accuracy, double LearningRate);

/// <summary>What <c>videonas train</c> reports and writes to <c>result.json</c>.</summary>
public sealed record TrainResult(
    string Model,
    long Params,
    long FlopsPerClip,
    double ClipAccuracy,
    double VideoAccuracy,
    int TestVideos,
    int BadClips,
    IReadOnlyList<EpochReport> Epochs);
