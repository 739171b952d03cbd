using System.Security.Cryptography;
using System.Text;

namespace VideoNas.Nas;

/// <summary>The first 16 hex digits of a SHA-256: short cache keys that change whenever their content does.</summary>
public static class ShortHash
{
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content))[..16].ToLowerInvariant();

    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));
}
