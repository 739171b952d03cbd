using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Nas;
using VideoNas.Nas.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Grains;

/// <summary>
/// One supernet replica. The grain only forwards; the model, its optimisers and its data live on
/// the shard's <see cref="TensorThread"/>, and each call is one synchronous unit of work there.
/// </summary>
public sealed class ShardWorkerGrain(ILocalSiloDetails silo) : Grain, IShardWorkerGrain
{
    private TensorThread? _thread;
    private BilevelSearch? _search;
    private SearchData? _data;
    // Second order unrolls on the training batch that the following w step then uses, as DARTS does.
    private ClipBatch? _pendingTrain;

    public async Task<ShardOpened> Open(ShardSpec spec)
    {
        if (spec.Count != 1)
            throw new NotSupportedException("a trial runs on one shard until the gradient all-reduce lands (issue #5)");
        await Close();
        _thread = new TensorThread($"shard {this.GetPrimaryKeyString()}");
        var config = SearchConfig.FromJson(spec.Trial.ConfigJson, "trial config");
        return await _thread.Run(() =>
        {
            var dataset = Ucf101Layout.Load(spec.Trial.DatasetRoot, spec.Trial.Split);
            _data = new SearchData(dataset, config);
            _data.Warm();
            _search = new BilevelSearch(config, _data.Classes);
            return new ShardOpened(_data.Classes, _data.BatchesPerEpoch, silo.SiloAddress.ToString());
        });
    }

    public Task<StepMetrics> ArchStep() => Thread.Run(() =>
    {
        using var validation = _data!.NextArchBatch();
        if (Search.Config.SecondOrder)
        {
            _pendingTrain?.Dispose();
            _pendingTrain = _data.NextWeightBatch();
        }
        return Metrics(Search.ArchStep(validation, _pendingTrain));
    });

    public Task<StepMetrics> WeightStep() => Thread.Run(() =>
    {
        using var train = _pendingTrain ?? _data!.NextWeightBatch();
        _pendingTrain = null;
        return Metrics(Search.WeightStep(train));
    });

    public Task EndEpoch() => Thread.Run(() => Search.EndEpoch());

    public Task<string> GetAlphasJson() => Thread.Run(() => SearchFiles.ToJson(Search.Model.ExportAlphas()));

    public Task<int> GetBadClipCount() => Task.FromResult(_data?.BadClips.Count ?? 0);

    public async Task Close()
    {
        if (_thread is null) return;
        await _thread.Run(() =>
        {
            _search?.Dispose();
            _search = null;
            _pendingTrain?.Dispose();
            _pendingTrain = null;
            _data = null;
        });
        _thread.Dispose();
        _thread = null;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Close();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private TensorThread Thread => _thread ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not open");
    private BilevelSearch Search => _search ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()} is not open");

    private static StepMetrics Metrics(StepResult r) => new(r.Loss, r.Accuracy, r.Count);
}
