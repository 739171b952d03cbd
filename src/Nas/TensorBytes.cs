using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace VideoNas.Nas;

/// <summary>Bulk copies between tensors and managed arrays; <c>data&lt;T&gt;()</c> copies element by element.</summary>
public static class TensorBytes
{
    public static float[] ToFloats(Tensor t)
    {
        if (t.dtype != ScalarType.Float32) throw new ArgumentException($"expected float32, got {t.dtype}");
        using var c = t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() ? t.alias() : t.cpu().contiguous();
        return MemoryMarshal.Cast<byte, float>(c.bytes).ToArray();
    }
}
