using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using VideoNas.Core.Telemetry;
using VideoNas.Grains;
using VideoNas.Silo;

namespace VideoNas.Tests;

/// <summary>Traces as a silo exports them, through an in-memory exporter on a two-silo test cluster.</summary>
public class TelemetryTests(SyntheticDataFixture data) : IClassFixture<SyntheticDataFixture>
{
    private static readonly SearchConfig Tiny = TinySearch.Network with { BatchSize = 4, Epochs = 1, Seed = 4 };

    [Fact]
    public async Task ATwoShardTrialIsOneTraceFromSubmitThroughEachShardStep()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(SiloTelemetry.Sources).AddInMemoryExporter(spans).Build()!;
        using var state = new TempFolder("videonas-trace-");
        await using var cluster = await TestClusters.StartAsync(2, state.Path);
        var trial = cluster.Client.GetGrain<ITrialCoordinatorGrain>("traced");

        ActivityTraceId traceId;
        ActivitySpanId submitId;
        using (var submit = VideoNasTelemetry.Source.StartActivity("submit")!)
        {
            (traceId, submitId) = (submit.TraceId, submit.SpanId);
            await trial.Submit(new TrialSpec(Tiny.ToJson(), data.Root, 1, state["run"], Shards: 2));
        }
        var done = await TrialWait.End(trial, TimeSpan.FromMinutes(3));
        Assert.True(done.State == TrialState.Completed, $"{done.State}: {done.Error}");

        // The trial's span ends just after its final state is stored.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Activity[] Ours()
        {
            tracing.ForceFlush();
            lock (spans) return spans.Where(s => s.TraceId == traceId).ToArray();
        }
        while (!Ours().Any(s => s.DisplayName == "trial") && DateTime.UtcNow < deadline) await Task.Delay(200);

        var ours = Ours();
        var byId = ours.ToDictionary(s => s.SpanId);
        var trialSpan = Assert.Single(ours, s => s.DisplayName == "trial");
        // Between them: Orleans' spans of the call, out of the client and into the coordinator's silo.
        Assert.Contains(Ancestors(trialSpan, byId), a => a.SpanId == submitId);
        Assert.Equal("traced", trialSpan.GetTagItem("videonas.trial"));
        Assert.Equal("Completed", trialSpan.GetTagItem("videonas.state"));
        var steps = ours.Where(s => s.DisplayName == "search step").ToList();
        Assert.Equal(done.TotalSteps, steps.Count);
        Assert.All(steps, s => Assert.Equal(trialSpan.SpanId, s.ParentSpanId));
        // Each step's w call reaches both shards, on two silos, in the same trace.
        var shardSteps = ours.Where(s => s.DisplayName == "shard w step").ToList();
        Assert.Equal(2 * done.TotalSteps, shardSteps.Count);
        Assert.Equal(2, shardSteps.Select(s => (string)s.GetTagItem("videonas.shard")!).Distinct().Count());
        Assert.All(shardSteps, s => Assert.Contains(Ancestors(s, byId), a => a.DisplayName == "search step"));
        // The reduction runs on the shard's tensor thread, under the shard step's span.
        var reductions = ours.Where(s => s.DisplayName is "all-reduce" or "backward with all-reduce").ToList();
        Assert.NotEmpty(reductions);
        Assert.All(reductions, r => Assert.Contains(Ancestors(r, byId), a => a.DisplayName.StartsWith("shard ", StringComparison.Ordinal)));
        Assert.All(shardSteps, s => Assert.Contains(reductions, r => r.ParentSpanId == s.SpanId));
    }

    private static IEnumerable<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var at = span; byId.TryGetValue(at.ParentSpanId, out var parent); at = parent) yield return parent;
    }
}
