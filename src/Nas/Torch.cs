using VideoNas.Nas.Native;

namespace VideoNas.Nas;

/// <summary>The single entry point that readies libtorch; every torch-using type calls it first.</summary>
public static class TorchRuntime
{
    public static void Initialize() => TorchNativeBootstrap.EnsureLoaded();
}
