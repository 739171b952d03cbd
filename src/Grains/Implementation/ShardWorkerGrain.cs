using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoNas.Core;
using VideoNas.Core.Data;
using VideoNas.Core.DataPlane;
using VideoNas.Core.Search;
using VideoNas.Core.Telemetry;
using VideoNas.Grains.DataPlane;
using VideoNas.Grains.Placement;
using VideoNas.Nas;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Grains;

/// <summary>
/// One supernet replica. The grain only forwards; the model, its optimisers and its data live on
/// the shard's <see cref="DedicatedThread"/>, and each call is one synchronous unit of work there. A step
/// blocks that thread inside the all-reduce until every shard has contributed, which is why the
/// coordinator calls all shards at once.
/// </summary>
[DevicePlacement]
[SuppressMessage("Design", "CA1001", Justification = "Close and OnDeactivateAsync release them on the tensor thread, which Dispose could not await.")]
public sealed class ShardWorkerGrain(
    ILocalSiloDetails silo, LocalReduceGroups localGroups, IOptions<PathOptions> paths, IOptions<RecoveryOptions> recovery,
    IOptions<NetworkOptions> network, ILogger<ShardWorkerGrain> logger)
    : Grain, IShardWorkerGrain
{
    /// <summary>How long a shard waits in its silo's group for the others; beyond a step's own timeout, only a backstop.</summary>
    private static readonly TimeSpan LocalGroupTimeout = TimeSpan.FromMinutes(10);

    private DedicatedThread? _thread;
    private GradientRing? _ring;
    private ReducerSlot? _reducer;
    private string? _localGroup;
    private OrleansGradientExchange? _exchange;
    private SearchReplica? _replica;
    private string? _checkpoints;

    public async Task<ShardOpened> Open(ShardSpec spec)
    {
        // Anyone who reaches the gateway can call this: the paths must be the trial's own.
        paths.Value.Check(spec.Trial);
        _checkpoints = CheckpointFolder.Of(recovery.Value, spec.TrialId, spec.Trial);
        if (spec.Checkpoint is { } checkpoint) CheckpointFolder.Require(checkpoint, _checkpoints);
        await Close();
        _thread = new DedicatedThread($"shard {this.GetPrimaryKeyString()}");
        var config = SearchConfig.FromJson(spec.Trial.ConfigJson, "trial config");
        if (spec.Trial.DataPlane == TrialSpec.OrleansDataPlane)
        {
            _reducer = new ReducerSlot(_exchange = new OrleansGradientExchange(GrainFactory, spec.Count));
        }
        else
        {
            // Other silos dial the address this silo is known by; on loopback clusters that is 127.0.0.1.
            _reducer = new ReducerSlot(_ring = GradientRing.Listen(silo.SiloAddress.Endpoint.Address.ToString(), network.Value.RingPortRange));
        }
        var reducer = _reducer;
        return await _thread.Run(() =>
        {
            var dataset = DatasetLayout.Open(spec.Trial.DatasetRoot, spec.Trial.Split, spec.Trial.SplitSeed);
            var device = spec.Device.Kind == "cuda" ? new TorchSharp.torch.Device(TorchSharp.DeviceType.CUDA, spec.Device.Index) : null;
            _replica = SearchReplica.Open(config, dataset, spec.Index, spec.Count, device, reducer, spec.Checkpoint, logger);
            return new ShardOpened(_replica.Classes, _replica.BatchesPerEpoch, silo.SiloAddress.ToParsableString(), _ring?.LocalEndpoint.ToString() ?? TrialSpec.OrleansDataPlane);
        });
    }

    public async Task LinkRing(RingSpec ring)
    {
        if (_exchange is not null)
        {
            _exchange.Link(ring.RingId, ring.Rank);
            return;
        }
        LocalReduceGroup? group = null;
        if (ring.LocalCount > 1)
        {
            group = localGroups.Join(ring.RingId, ring.LocalCount, ring.Replicas, LocalGroupTimeout);
            _localGroup = ring.RingId;
            _reducer!.Target = group.Member(ring.LocalRank);
        }
        // Every shard of a silo alone, and the leader of several, joins the ring across silos.
        if (ring.Rank < 0) return;
        var secret = ring.Secret ?? throw new ArgumentException($"ring {ring.RingId}: no secret; the coordinator gives every ring one");
        await PeersMayBeLost(() => Ring.ConnectAsync(ring.RingId, ring.Rank, ring.Endpoints.Select(RingEndpoint.Parse).ToList(), secret));
        group?.LinkAcross(Ring);
    }

    public async Task<StepMetrics> ArchStep(bool unrollOnNextTrainBatch)
    {
        using var span = Span("shard alpha step");
        return await PeersMayBeLost(() => Thread.Run(() => Metrics(Replica.ArchStep(unrollOnNextTrainBatch))));
    }

    public async Task<StepMetrics> WeightStep()
    {
        using var span = Span("shard w step");
        return await PeersMayBeLost(() => Thread.Run(() => Metrics(Replica.WeightStep())));
    }

    /// <summary>Runs work that talks to peers; a broken ring or group leaves as the exception the coordinator recovers from.</summary>
    private async Task<T> PeersMayBeLost<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (RingBrokenException e)
        {
            throw new ShardPeerLostException($"shard {this.GetPrimaryKeyString()}: {e.Message}");
        }
    }

    private Task PeersMayBeLost(Func<Task> work) => PeersMayBeLost(async () =>
    {
        await work();
        return true;
    });

    /// <summary>A span under the caller's (the coordinator's step), which Orleans carries with the call.</summary>
    private Activity? Span(string name) => VideoNasTelemetry.Source.StartActivity(name)?.SetTag("videonas.shard", this.GetPrimaryKeyString());

    private static StepMetrics Metrics(ReplicaStep s) =>
        new(s.Loss, s.Accuracy, s.Clips, s.ComputeSeconds, s.ReduceSeconds, s.ReducedBytes, s.OverlappedSeconds);

    public Task EndEpoch() => Thread.Run(() => Replica.EndEpoch());

    public Task SaveCheckpoint(string path, long step)
    {
        CheckpointFolder.Require(path, _checkpoints ?? throw NotOpen());
        return Thread.Run(() => Replica.SaveCheckpoint(path, step));
    }

    public Task<string> GetAlphasJson() => Thread.Run(() => Replica.AlphasJson());

    public Task<string> GetChecksum() => Thread.Run(() => Replica.Checksum());

    public Task<int> GetBadClipCount() => Task.FromResult(_replica?.BadClipCount ?? 0);

    public async Task Close()
    {
        if (_thread is not { } thread) return;
        // Taken first, so a second Close while this one waits returns at once.
        _thread = null;
        // The links to peers go first: a step of this shard waiting in the group or on the ring for a peer
        // that will never come fails, and frees the thread the rest of the closing runs on.
        if (_localGroup is not null) localGroups.Leave(_localGroup);
        _localGroup = null;
        _ring?.Dispose();
        _ring = null;
        await thread.Run(() =>
        {
            _replica?.Dispose();
            _replica = null;
        });
        thread.Dispose();
        _reducer = null;
        _exchange = null;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Close();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private GradientRing Ring => _ring ?? throw NotOpen();
    private DedicatedThread Thread => _thread ?? throw NotOpen();
    private SearchReplica Replica => _replica ?? throw NotOpen();
    private ShardNotOpenException NotOpen() => new($"shard {this.GetPrimaryKeyString()} is not open");
}
