namespace VideoNas.Core.DataPlane;

/// <summary>
/// Averages a buffer across every replica of a data-parallel model. Every replica calls it with a
/// buffer of the same length, in the same order, and every replica gets back the same values.
/// </summary>
public interface IGradientReducer : IDisposable
{
    int Size { get; }

    /// <summary>Replaces <paramref name="data"/> with the element-wise mean over all replicas.</summary>
    void AllReduceMean(Memory<float> data);
}

/// <summary>The reducer of a model that has no other replicas.</summary>
public sealed class SingleReplica : IGradientReducer
{
    public int Size => 1;
    public void AllReduceMean(Memory<float> data) { }
    public void Dispose() { }
}
