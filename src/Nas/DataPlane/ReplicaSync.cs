using System.Runtime.InteropServices;
using System.Security.Cryptography;
using VideoNas.Core.DataPlane;
using VideoNas.Core.Telemetry;
using VideoNas.Nas.Optim;

namespace VideoNas.Nas.DataPlane;

/// <summary>
/// The entry point of the gradient data plane, which lives in one DataPlane folder per layer:
/// <list type="bullet">
/// <item>src/Nas/DataPlane (tensors): this class; <see cref="StagedBackward"/> (backward in stages, a leaf cut
/// between them, since TorchSharp has no gradient hooks); <see cref="OverlappedReduction"/> (buckets reduced on
/// their own thread while the stages below still run).</item>
/// <item>src/Core/DataPlane (no torch, no Orleans): <c>IGradientReducer</c> (what this class calls: the mean of a
/// float buffer over the replicas); <c>GradientRing</c> (the TCP ring across silos, chunked and pipelined by
/// <c>RingSchedule</c>); <c>LocalReduceGroup</c> (the shards of one silo sum in memory, one leader joins the ring);
/// <c>RingEndpoint</c>, <c>RingBrokenException</c>.</item>
/// <item>src/Grains/Implementation/DataPlane (Orleans): <c>ReducerSlot</c> (the reducer a shard gives its
/// search, re-pointed when the shard joins its silo's group); <c>LocalReduceGroups</c> (a silo's groups by ring
/// id); <c>OrleansGradientExchange</c> and <c>GradientExchangeGrain</c> (the fallback through grain messages).</item>
/// </list>
/// Calls: BilevelSearch → ReplicaSync → ReducerSlot → GradientRing (directly, or through the silo's
/// LocalReduceGroup, whose leader's ring) or OrleansGradientExchange → GradientExchangeGrain. docs/cluster.md measures them.
///
/// Keeps the replicas of a data-parallel search identical. Every gradient is averaged across replicas
/// before an optimiser sees it, through flat float32 buffers (one all-reduce per call or per bucket, not
/// one per tensor), and the floating-point buffers (BatchNorm running statistics, which each replica updates
/// from its own share of the batch) ride along and are averaged too. Identical gradients into identical
/// optimisers from an identical seeded start keep w, α and the optimiser states bit-identical.
/// With <paramref name="bucketBytes"/> above zero, the w gradients of a staged backward travel in buckets of
/// at least that size, each reduced while the stages below it still run.
/// </summary>
public sealed class ReplicaSync(IGradientReducer reducer, Func<IEnumerable<Tensor>> buffers, long bucketBytes = 0)
{
    private float[] _staging = [];

    /// <summary>Seconds a step spent waiting for all-reduces (peers included), the bytes averaged, and the reduction time backward hid.</summary>
    public double ReduceSeconds { get; private set; }
    public long ReducedBytes { get; private set; }
    public double OverlappedSeconds { get; private set; }

    /// <summary>Whether gradients are reduced in buckets during the backward pass.</summary>
    public bool Overlaps => reducer.Size > 1 && bucketBytes > 0;

    /// <summary>Replaces every tensor (and every buffer) with its mean over the replicas.</summary>
    public void AllReduceMean(IEnumerable<Tensor> gradients)
    {
        if (reducer.Size == 1) return;
        using var scope = NewDisposeScope();
        var tensors = gradients.Concat(FloatBuffers()).ToList();
        var (data, length) = Flatten(tensors, n => _staging.Length == n ? _staging : _staging = new float[n]);
        using var span = VideoNasTelemetry.Source.StartActivity("all-reduce")?.SetTag("videonas.bytes", (long)length * sizeof(float));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        reducer.AllReduceMean(data.AsMemory(0, length));
        ReduceSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        ReducedBytes += (long)length * sizeof(float);
        Scatter(data.AsSpan(0, length), tensors);
    }

    /// <summary>
    /// Runs <paramref name="stages"/> and returns the gradients of <paramref name="parameters"/> (in that
    /// order) averaged over the replicas, the buffers averaged with the first bucket. Call inside a dispose scope.
    /// </summary>
    public IList<Tensor> OverlappedGradients(IReadOnlyList<BackwardStage> stages, IReadOnlyList<Tensor> parameters)
    {
        var byHandle = new Dictionary<IntPtr, Tensor>();
        // One span for the backward pass and the bucket reductions it overlaps; the split is in its tags.
        using var span = VideoNasTelemetry.Source.StartActivity("backward with all-reduce");
        using var reduction = new OverlappedReduction(reducer);
        var bucket = FloatBuffers().ToList();
        long bytes = bucket.Sum(t => t.numel()) * sizeof(float);
        StagedBackward.Run(stages, (stage, grads) =>
        {
            for (int i = 0; i < grads.Count; i++) byHandle[stage.Parameters[i].Handle] = grads[i];
            bucket.AddRange(grads);
            bytes += grads.Sum(g => g.numel()) * sizeof(float);
            if (bytes < bucketBytes) return;
            reduction.Post(bucket);
            (bucket, bytes) = ([], 0);
        });
        if (bucket.Count > 0) reduction.Post(bucket);
        reduction.Finish();
        ReduceSeconds += reduction.ExposedSeconds;
        OverlappedSeconds += reduction.OverlappedSeconds;
        ReducedBytes += reduction.Bytes;
        span?.SetTag("videonas.bytes", reduction.Bytes).SetTag("videonas.exposed_seconds", reduction.ExposedSeconds)
            .SetTag("videonas.overlapped_seconds", reduction.OverlappedSeconds);
        return parameters.Select(p => byHandle.TryGetValue(p.Handle, out var g) ? g
            : throw new InvalidOperationException("a parameter belongs to no backward stage")).ToList();
    }

    private IEnumerable<Tensor> FloatBuffers() => buffers().Where(b => b.is_floating_point());

    /// <summary>The tensors' values as float32, end to end, in an array from <paramref name="allocate"/> (which may be longer).</summary>
    internal static (float[] Data, int Length) Flatten(IReadOnlyList<Tensor> tensors, Func<int, float[]> allocate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = cat(tensors.Select(t => t.detach().reshape(-1).to(ScalarType.Float32).cpu()).ToList(), 0).contiguous();
        int length = checked((int)flat.numel());
        var data = allocate(length);
        MemoryMarshal.Cast<byte, float>(flat.bytes).CopyTo(data);
        return (data, length);
    }

    /// <summary>Writes <paramref name="data"/> back into the tensors it was flattened from.</summary>
    internal static void Scatter(Span<float> data, IReadOnlyList<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = empty(data.Length, ScalarType.Float32);
        flat.bytes = MemoryMarshal.AsBytes(data);
        long offset = 0;
        foreach (var t in tensors)
        {
            t.copy_(flat.narrow(0, offset, t.numel()).view_as(t));
            offset += t.numel();
        }
    }

    /// <summary>A digest of the given tensors' bytes: equal on every replica exactly when they agree bit for bit.</summary>
    public static string Checksum(IEnumerable<Tensor> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var t in tensors) hash.AppendData(t.detach().cpu().contiguous().bytes);
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
