using VideoNas.Core.DataPlane;

namespace VideoNas.Grains.DataPlane;

/// <summary>
/// The reducer a shard's replica holds from the moment it is built; linking decides later whether it
/// reaches the ring directly or through the silo's local group.
/// </summary>
internal sealed class ReducerSlot(IGradientReducer target) : IGradientReducer
{
    public IGradientReducer Target { get; set; } = target;
    public int Size => Target.Size;
    public void AllReduceMean(Memory<float> data) => Target.AllReduceMean(data);
    public void Dispose() { }
}
