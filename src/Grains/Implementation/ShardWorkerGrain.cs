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

    public Task<StepMetrics> ArchStep() => Step(s => s.ArchStep, d => d.NextArchBatch);

    public Task<StepMetrics> WeightStep() => Step(s => s.WeightStep, d => d.NextWeightBatch);

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

    private Task<StepMetrics> Step(Func<BilevelSearch, Func<ClipBatch, StepResult>> step, Func<SearchData, Func<ClipBatch>> next) =>
        Thread.Run(() =>
        {
            using var batch = next(_data!)();
            var r = step(Search)(batch);
            return new StepMetrics(r.Loss, r.Accuracy, r.Count);
        });
}
