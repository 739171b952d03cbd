using VideoNas.Nas.Native;

namespace VideoNas.Nas;

/// <summary>
/// The single entry point that readies libtorch. The module initializers of this assembly and of the
/// tests call it, so code here never has to.
/// </summary>
public static class TorchRuntime
{
    public static void Initialize() => TorchNativeBootstrap.EnsureLoaded();
}
