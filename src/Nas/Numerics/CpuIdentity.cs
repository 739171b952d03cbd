namespace VideoNas.Nas.Numerics;

/// <summary>The CPU as /proc/cpuinfo names it: model and feature flags. A kernel verdict holds for one such CPU.</summary>
public sealed record CpuIdentity(string Model, string Vendor, string Family, string ModelNumber, IReadOnlySet<string> Flags)
{
    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>The vector extensions that decide oneDNN's and ATen's kernels.</summary>
    public IReadOnlyList<string> VectorFlags => Flags.Where(f => f.StartsWith("avx", StringComparison.Ordinal) ||
        f.StartsWith("sse4", StringComparison.Ordinal) || f.StartsWith("amx", StringComparison.Ordinal) || f == "fma")
        .Order(StringComparer.Ordinal).ToList();

    /// <summary>A short digest of everything that identifies the CPU's kernels.</summary>
    public string Digest() =>
        ShortHash.Of($"{Vendor}|{Family}|{ModelNumber}|{Model}|{string.Join(' ', Flags.Order(StringComparer.Ordinal))}");

    public static CpuIdentity Current() => OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")
        ? Parse(File.ReadAllText("/proc/cpuinfo"))
        : new CpuIdentity(Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? "unknown", "unknown", "", "", new HashSet<string>());

    /// <summary>Reads the first processor's block of /proc/cpuinfo.</summary>
    public static CpuIdentity Parse(string cpuinfo)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in cpuinfo.Split('\n'))
        {
            if (line.Trim().Length == 0 && fields.Count > 0) break;
            int colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        string Field(string name) => fields.GetValueOrDefault(name, "");
        var flags = Field("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CpuIdentity(Field("model name") is { Length: > 0 } m ? m : "unknown", Field("vendor_id"), Field("cpu family"), Field("model"), flags);
    }
}
