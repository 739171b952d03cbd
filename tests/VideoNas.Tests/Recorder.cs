using System.Text.Json.Nodes;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>A search observer that records what the loop reported: steps, epochs (each with a parsable genotype) and checkpoints.</summary>
internal sealed class Recorder<TStep> : ISearchObserver<TStep> where TStep : IStepMetrics
{
    public List<(int Step, bool HadArch)> Steps { get; } = [];
    public List<int> Epochs { get; } = [];
    public List<int> Checkpoints { get; } = [];

    public Task StepDone(int step, IReadOnlyList<TStep>? arch, IReadOnlyList<TStep> train, TimeSpan wall)
    {
        Steps.Add((step, arch is not null));
        return Task.CompletedTask;
    }

    public Task EpochDone(int epoch, string genotypeJson)
    {
        Epochs.Add(epoch);
        Assert.NotNull(JsonNode.Parse(genotypeJson)!["normal"]);
        return Task.CompletedTask;
    }

    public Task CheckpointDue(int step)
    {
        Checkpoints.Add(step);
        return Task.CompletedTask;
    }
}
