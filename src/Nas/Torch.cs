using VideoNas.Nas.Native;

namespace VideoNas.Nas;

/// <summary>
/// The single entry point that readies libtorch. The module initializers of this assembly and of the
/// tests call it, so code here never has to.
/// </summary>
public static class TorchRuntime
{
    public static void Initialize() => TorchNativeBootstrap.EnsureLoaded();

    /// <summary>
    /// Caps libtorch's intra-op threads for this process. Several processes sharing a machine's cores must
    /// split them: oversubscribed, libtorch's spinning worker threads slow every process many times over.
    /// </summary>
    public static void LimitThreads(int threads) => TorchSharp.torch.set_num_threads(threads);

    /// <summary>
    /// CUDA devices visible to this process (0 on a CPU build). Assemblies outside this one must ask
    /// here, not TorchSharp: only a call into this assembly is sure to run its bootstrap first.
    /// </summary>
    public static int CudaDevices() => TorchSharp.torch.cuda.is_available() ? TorchSharp.torch.cuda.device_count() : 0;
}
