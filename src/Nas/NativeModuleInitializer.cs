using System.Runtime.CompilerServices;

namespace VideoNas.Nas;

internal static class NativeModuleInitializer
{
    /// <summary>
    /// Readies libtorch before any code of this assembly runs. A TorchSharp call made before the
    /// bootstrap fails TorchSharp's type initializer for the rest of the process, so no call site may
    /// be allowed to forget it.
    /// </summary>
#pragma warning disable CA2255 // a library initializer is the point here
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.Initialize();
#pragma warning restore CA2255
}
