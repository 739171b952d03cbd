using System.Globalization;

namespace VideoNas.Core.DataPlane;

/// <summary>Ports the ring may listen on ("40000-40099", or one port), so a firewall can be narrow; none: any free port.</summary>
public sealed record PortRange(int First, int Last)
{
    public static PortRange? Parse(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        bool ok = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first);
        int last = first;
        ok &= parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out last);
        return ok && first is >= 1 and <= 65535 && last >= first && last <= 65535 ? new PortRange(first, last)
            : throw new FormatException($"{setting}: \"{text}\" is not a port or a range FIRST-LAST within 1-65535");
    }

    public IEnumerable<int> Ports => Enumerable.Range(First, Last - First + 1);

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}
