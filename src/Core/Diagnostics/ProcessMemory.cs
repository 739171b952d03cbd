using System.Globalization;

namespace VideoNas.Core.Diagnostics;

/// <summary>This process's resident memory, from /proc/self/status (Linux; 0 elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS: resident now.</summary>
    public static long ResidentBytes() => Read("VmRSS:");

    /// <summary>VmHWM: the most ever resident, which catches peaks inside a step that sampling between steps misses.</summary>
    public static long PeakResidentBytes() => Read("VmHWM:");

    private static long Read(string field)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
