using System.Globalization;

namespace VideoNas.Core.Experiments;

/// <summary>
/// The seeds of an experiment as a user writes them: "N" for 0..N-1, "3,7,11" for exactly those, "5..8"
/// for 5 to 8. A seed given twice would run the same trial twice, so it is refused.
/// </summary>
public static class SeedList
{
    public const int MaxSeeds = 1000;

    public static IReadOnlyList<long> Parse(string text, string source = "--seeds")
    {
        var seeds = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Split("..") is [var from, var to])
            {
                long a = Number(from, text, source), b = Number(to, text, source);
                if (b < a || b - a >= MaxSeeds) throw new FormatException($"{source} \"{text}\": the range {part} must go up, by at most {MaxSeeds} seeds");
                for (long s = a; s <= b; s++) seeds.Add(s);
            }
            else if (!text.Contains(',', StringComparison.Ordinal))
            {
                long n = Number(part, text, source);
                if (n is < 1 or > MaxSeeds) throw new FormatException($"{source} \"{text}\": a count of seeds must be 1 to {MaxSeeds}");
                for (long s = 0; s < n; s++) seeds.Add(s);
            }
            else
            {
                seeds.Add(Number(part, text, source));
            }
        }
        if (seeds.Count > MaxSeeds) throw new FormatException($"{source} \"{text}\": at most {MaxSeeds} seeds");
        if (seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FormatException($"{source} \"{text}\": seed {twice.Key} is given twice");
        return seeds;
    }

    private static long Number(string part, string text, string source) =>
        long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
            : throw new FormatException($"{source} \"{text}\": \"{part}\" is not a non-negative integer; write N (seeds 0..N-1), a list (3,7,11) or a range (5..8)");
}
