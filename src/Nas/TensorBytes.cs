using System.Runtime.InteropServices;

namespace VideoNas.Nas;

/// <summary>Bulk copies between tensors and managed arrays; <c>data&lt;T&gt;()</c> copies element by element.</summary>
public static class TensorBytes
{
    public static float[] ToFloats(Tensor t)
    {
        using var c = t.dtype == ScalarType.Float32 && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous()
            ? t.alias() : t.to(ScalarType.Float32).cpu().contiguous();
        return MemoryMarshal.Cast<byte, float>(c.bytes).ToArray();
    }
}
