using VideoNas.Core.DataPlane;
using VideoNas.Nas.Search;

namespace VideoNas.Grains;

/// <summary>
/// The shard grains of one attempt at a trial: opened on leased devices, linked into a ring with a fresh
/// id (so a shard of an abandoned attempt can never join it), and called together. A call on all shards
/// fails as soon as the first shard fails: when a silo dies, its peers' ring links break at once, while
/// the call to the dead shard itself would only fail once the membership protocol declares the silo dead.
/// To the search loop it is the trial's set of replicas.
/// </summary>
internal sealed class ShardGroup(IGrainFactory grains, string trialId) : ISearchReplicas<StepMetrics>
{
    private readonly List<IShardWorkerGrain> _shards = [];
    private IReadOnlyList<RingSpec> _rings = [];
    private ShardOpened[] _opened = [];

    public IReadOnlyList<IShardWorkerGrain> Shards => _shards;

    public static string Key(string trialId, int index, string silo) => BoundKey.Of($"{trialId}/{index}", silo);

    public async Task<ShardOpened[]> Open(IReadOnlyList<DeviceSlot> devices, TrialSpec spec, string? checkpoint)
    {
        _shards.AddRange(devices.Select((d, i) => grains.GetGrain<IShardWorkerGrain>(Key(trialId, i, d.Silo))));
        var opened = await Each((s, i) => s.Open(new ShardSpec(trialId, i, _shards.Count, spec, devices[i], checkpoint)));
        string ringId = $"{trialId}/{Guid.NewGuid():N}";
        _opened = opened;
        _rings = spec.DataPlane == TrialSpec.OrleansDataPlane
            ? opened.Select((_, i) => new RingSpec(ringId, i, [], Replicas: opened.Length)).ToList()
            : RingSpec.Hierarchical(ringId, opened.Select(o => o.Silo).ToList(), opened.Select(o => o.RingEndpoint).ToList(), GradientRing.NewSecret());
        await Each((s, i) => s.LinkRing(_rings[i]));
        return opened;
    }

    public int Count => _shards.Count;
    public int BatchesPerEpoch => _opened[0].BatchesPerEpoch;
    public string SiloOf(int index) => _opened[index].Silo;

    public async Task<IReadOnlyList<StepMetrics>> ArchStep(bool unrollOnNextTrainBatch) => await All(s => s.ArchStep(unrollOnNextTrainBatch));
    public async Task<IReadOnlyList<StepMetrics>> WeightStep() => await All(s => s.WeightStep());
    public Task EndEpoch() => All(s => s.EndEpoch());
    public Task<string> AlphasJson() => _shards[0].GetAlphasJson();
    public async Task<IReadOnlyList<string>> Checksums() => await All(s => s.GetChecksum());

    /// <summary>How shard <paramref name="index"/>'s gradients travel, as <c>status</c> shows it.</summary>
    public string DataPlaneOf(int index)
    {
        var ring = _rings[index];
        if (_opened[index].RingEndpoint == TrialSpec.OrleansDataPlane) return TrialSpec.OrleansDataPlane;
        if (ring.LocalCount == 1) return $"tcp {_opened[index].RingEndpoint}";
        if (ring.Rank >= 0) return $"tcp {_opened[index].RingEndpoint}, for its silo's {ring.LocalCount} shards";
        int leader = Enumerable.Range(0, _rings.Count).First(i => _opened[i].Silo == _opened[index].Silo && _rings[i].Rank >= 0);
        return $"memory, through shard {leader} on the same silo";
    }

    public Task<T[]> All<T>(Func<IShardWorkerGrain, Task<T>> call) => Each((s, _) => call(s));

    public Task All(Func<IShardWorkerGrain, Task> call) => Each((s, _) => call(s));

    private Task Each(Func<IShardWorkerGrain, int, Task> call) => Each(async (s, i) =>
    {
        await call(s, i);
        return true;
    });

    private async Task<T[]> Each<T>(Func<IShardWorkerGrain, int, Task<T>> call)
    {
        var calls = _shards.Select(call).ToList();
        for (var pending = calls.ToList(); pending.Count > 0;)
        {
            var done = await Task.WhenAny(pending);
            await done; // rethrows the first failure without waiting for the rest
            pending.Remove(done);
        }
        return calls.Select(c => c.Result).ToArray();
    }

    /// <summary>Closes the given shards, each call bounded, ignoring those on silos that are gone.</summary>
    public static Task CloseAll(IGrainFactory grains, IEnumerable<string> keys, TimeSpan timeout) =>
        Task.WhenAll(keys.Select(async key =>
        {
            try
            {
                await grains.GetGrain<IShardWorkerGrain>(key).Close().WaitAsync(timeout);
            }
            catch (Exception)
            {
                // A shard on a dead silo died with it; one that does not answer in time is left to idle out.
            }
        }));
}
