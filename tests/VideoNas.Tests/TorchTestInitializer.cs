using System.Runtime.CompilerServices;

namespace VideoNas.Tests;

internal static class TorchTestInitializer
{
    /// <summary>
    /// Tests call TorchSharp directly too; bootstrap before any of them, whatever order xunit picks. xunit runs
    /// as many test classes at once as there are cores, so each gets one libtorch thread: more would make
    /// OpenMP's spinning threads fight over the cores.
    /// </summary>
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Initialize()
    {
        VideoNas.Nas.TorchRuntime.Initialize();
        VideoNas.Nas.TorchRuntime.LimitThreads(1);
    }
#pragma warning restore CA2255
}
