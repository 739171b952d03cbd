using System.Runtime.InteropServices;

namespace VideoNas.Nas.Numerics;

/// <summary>
/// Process-wide libtorch settings that TorchSharp 0.107 does not bind, reached through the C++ symbols
/// libtorch_cpu.so exports (x86-64 SysV: a member function takes <c>this</c> as its first argument).
/// </summary>
internal static partial class LibTorchSwitches
{
    private const string LibTorchCpu = "libtorch_cpu.so";

    [LibraryImport(LibTorchCpu, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(LibTorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    // Returns std::string through a hidden result pointer; the names ("DEFAULT", "AVX2", "AVX512") fit
    // libstdc++'s 15-character inline buffer, so nothing is left on the heap.
    [LibraryImport(LibTorchCpu, EntryPoint = "_ZN2at18get_cpu_capabilityB5cxx11Ev")]
    private static unsafe partial void GetCpuCapability(byte* result);

    /// <summary>Stops ATen calling oneDNN (convolutions, pooling, matmuls); the flag is read on every call, backward too.</summary>
    public static void DisableOneDnn() => SetUserEnabledMkldnn(GlobalContext(), false);

    /// <summary>The vector ISA of ATen's own kernels (DEFAULT, AVX2, AVX512), independent of oneDNN's.</summary>
    public static unsafe string AtenCpuCapability()
    {
        byte* s = stackalloc byte[32];
        GetCpuCapability(s);
        byte* data = *(byte**)s;
        long length = *(long*)(s + 8);
        return length is > 0 and <= 15 && data == s + 16 ? Marshal.PtrToStringUTF8((IntPtr)data, (int)length) : "unknown";
    }
}

/// <summary>
/// The C library's environment. On Linux .NET keeps its own copy of the environment, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> never reaches native <c>getenv</c>,
/// which is where oneDNN reads its settings.
/// </summary>
internal static partial class NativeEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Set(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0) throw new InvalidOperationException($"setenv({name}) failed");
        Environment.SetEnvironmentVariable(name, value);
    }
}
