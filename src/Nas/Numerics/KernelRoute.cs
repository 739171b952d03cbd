namespace VideoNas.Nas.Numerics;

/// <summary>
/// Which convolution kernels libtorch runs on the CPU: oneDNN at the best ISA the CPU has (<c>native</c>),
/// oneDNN capped at an ISA (<c>AVX2</c>, <c>SSE41</c>, any ONEDNN_MAX_CPU_ISA value), or oneDNN not
/// used at all (<c>off</c>: ATen's own im2col kernels). Both settings are process-wide and read again
/// by every backward, so a route holds for the whole process; the cap must be set before oneDNN's first
/// primitive, which is why it is chosen before libtorch is loaded.
/// </summary>
public sealed record KernelRoute(string Name)
{
    public const string NativeName = "native";
    public const string OffName = "off";

    public static readonly KernelRoute Native = new(NativeName);
    public static readonly KernelRoute Off = new(OffName);

    /// <summary>oneDNN's own setting, which a user may have set instead of ours.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    // ONEDNN_MAX_CPU_ISA's values (oneDNN 3.x), in its upper-case spelling.
    private static readonly HashSet<string> IsaNames = new(StringComparer.Ordinal)
    {
        "SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE", "AVX512_CORE_VNNI", "AVX512_CORE_BF16",
        "AVX10_1_512", "AVX512_CORE_FP16", "AVX10_1_512_AMX", "AVX512_CORE_AMX", "AVX10_1_512_AMX_FP16", "AVX512_CORE_AMX_FP16", "ALL",
    };

    /// <summary>Accepts <c>native</c>, <c>off</c> or an ISA name in any case; refuses anything else naming the choices.</summary>
    public static KernelRoute Parse(string value, string source)
    {
        string v = value.Trim();
        if (v.Equals(NativeName, StringComparison.OrdinalIgnoreCase)) return Native;
        if (v.Equals(OffName, StringComparison.OrdinalIgnoreCase)) return Off;
        string upper = v.ToUpperInvariant();
        if (IsaNames.Contains(upper)) return new KernelRoute(upper);
        throw new ArgumentException($"{source}: \"{value}\" is not a kernel route; use auto, native, off or a oneDNN ISA ({string.Join(", ", IsaNames)})");
    }

    /// <summary>
    /// The routes to try on a CPU, fastest first (measured: docs/numerics.md): full oneDNN, the AVX2 cap
    /// where the CPU has more, SSE4.1, then no oneDNN at all.
    /// </summary>
    public static IReadOnlyList<KernelRoute> Ladder(CpuIdentity cpu)
    {
        var ladder = new List<KernelRoute> { Native };
        if (cpu.Has("avx512f")) ladder.Add(new KernelRoute("AVX2"));
        if (cpu.Has("avx2") || cpu.Has("avx")) ladder.Add(new KernelRoute("SSE41"));
        ladder.Add(Off);
        return ladder;
    }

    /// <summary>Sets what must be in the environment before libtorch is loaded.</summary>
    public void ApplyBeforeLoad()
    {
        if (Name is not (NativeName or OffName)) NativeEnvironment.Set(OneDnnIsaVariable, Name);
    }

    public void ApplyAfterLoad()
    {
        if (Name == OffName) LibTorchSwitches.DisableOneDnn();
    }

    public override string ToString() => Name;
}
