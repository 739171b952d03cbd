namespace VideoNas.Core.Search;

/// <summary>
/// Independent, reproducible random streams derived from one seed by SplitMix64. A stream that is
/// re-seeded per item (batch n of the training half) needs no state beyond n, so a checkpoint restores
/// it by storing a counter instead of a generator's internals.
/// </summary>
public static class SeedStream
{
    public static Random For(long seed, int stream, long index) => new(unchecked((int)Mix(Mix(Mix((ulong)seed) ^ (ulong)stream) ^ (ulong)index)));

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
