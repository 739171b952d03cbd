using VideoNas.Nas.Native;
using VideoNas.Nas.Numerics;

namespace VideoNas.Nas;

/// <summary>
/// The single entry point that readies libtorch. The module initializers of this assembly and of the
/// tests call it, so code here never has to.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static KernelRouteDecision? _kernels;

    /// <summary>
    /// Chooses the kernel route (see <see cref="KernelRouting"/>), applies what must precede libtorch,
    /// loads it, then applies the rest. Idempotent.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_kernels is not null) return;
            // This runs before any host, so before any logger: what the probe says goes to stderr.
            var decision = KernelRouting.DecideForProcess(message => Console.Error.WriteLine(message));
            decision.Route.ApplyBeforeLoad();
            TorchNativeBootstrap.EnsureLoaded();
            decision.Route.ApplyAfterLoad();
            _kernels = decision;
        }
    }

    /// <summary>The kernel route this process runs with and why.</summary>
    public static KernelRouteDecision Kernels
    {
        get
        {
            Initialize();
            return _kernels!;
        }
    }

    /// <summary>Refuses to train on a machine where no kernel route computes correctly.</summary>
    public static void RequireCorrectKernels()
    {
        if (Kernels.KnownBroken)
            throw new KernelFaultException(
                $"no kernel route passed the float32-against-float64 self-check on this CPU ({Kernels.Verdict!.CpuModel}); " +
                "results would be wrong. `videonas doctor` names the failing operations; " +
                $"{KernelRouting.RouteVariable}=native forces a route at your own risk.");
    }

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

/// <summary>This machine's kernels compute wrong results on every route tried; arithmetic, so nothing retries it.</summary>
public sealed class KernelFaultException(string message) : ArithmeticException(message);
