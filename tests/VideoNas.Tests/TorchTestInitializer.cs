using System.Runtime.CompilerServices;

namespace VideoNas.Tests;

internal static class TorchTestInitializer
{
    /// <summary>Tests call TorchSharp directly too; bootstrap before any of them, whatever order xunit picks.</summary>
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Initialize() => VideoNas.Nas.TorchRuntime.Initialize();
#pragma warning restore CA2255
}
