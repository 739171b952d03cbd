namespace VideoNas.Grains;

/// <summary>
/// Keys of grains that are bound to one silo: "name|silo" with the silo's parsable address
/// ("10.0.0.5:11111@123456789", which never holds a '|', so any name works). Making the
/// silo part of the identity turns Orleans' placement (an affinity) into a binding: such a grain can only
/// ever activate on that silo, and a shard moved to another silo is a new grain.
/// </summary>
public static class BoundKey
{
    public static string Of(string name, string silo) => $"{name}|{silo}";

    public static string SiloOf(string key)
    {
        int bar = key.LastIndexOf('|');
        return bar > 0 ? key[(bar + 1)..] : throw new FormatException($"grain key \"{key}\" names no silo (expected name|silo)");
    }
}
