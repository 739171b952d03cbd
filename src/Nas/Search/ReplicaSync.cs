using System.Runtime.InteropServices;
using System.Security.Cryptography;
using VideoNas.Core.Collective;
using static TorchSharp.torch;

namespace VideoNas.Nas.Search;

/// <summary>
/// Keeps the replicas of a data-parallel search identical. Every gradient is averaged across replicas
/// before an optimiser sees it, through one flat float32 buffer per call (one all-reduce, not one per
/// tensor), and the floating-point buffers (BatchNorm running statistics, which each replica updates
/// from its own share of the batch) ride along and are averaged too. Identical gradients into identical
/// optimisers from an identical seeded start keep w, α and the optimiser states bit-identical.
/// </summary>
public sealed class ReplicaSync(IGradientReducer reducer, Func<IEnumerable<Tensor>> buffers)
{
    private float[] _staging = [];

    /// <summary>Seconds spent inside the reducer so far (waiting for peers included) and the bytes it averaged.</summary>
    public double ReduceSeconds { get; private set; }
    public long ReducedBytes { get; private set; }

    /// <summary>Replaces every tensor (and every buffer) with its mean over the replicas.</summary>
    public void AllReduceMean(IEnumerable<Tensor> gradients)
    {
        if (reducer.Size == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = gradients.Concat(buffers().Where(b => b.is_floating_point())).ToList();
        var flat = cat(tensors.Select(t => t.detach().reshape(-1).to(ScalarType.Float32).cpu()).ToList(), 0).contiguous();
        int length = checked((int)flat.numel());
        if (_staging.Length != length) _staging = new float[length];
        MemoryMarshal.Cast<byte, float>(flat.bytes).CopyTo(_staging);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        reducer.AllReduceMean(_staging);
        ReduceSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        ReducedBytes += (long)length * sizeof(float);
        flat.bytes = MemoryMarshal.AsBytes(_staging.AsSpan());
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
