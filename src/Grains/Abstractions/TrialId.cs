using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace VideoNas.Grains;

/// <summary>
/// What a trial id may be: it names the trial's grains, its checkpoint folder and its device leases, so it
/// is a plain file name (no '/', no "..") that maps one to one onto a folder.
/// </summary>
public static partial class TrialId
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex Allowed();

    /// <summary>Why <paramref name="id"/> is not a trial id, or null when it is one.</summary>
    public static string? Problem(string id) => Allowed().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal) ? null
        : $"trial id \"{id}\": use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit, without \"..\"";

    public static string Validate(string id) => Problem(id) is { } problem ? throw new ArgumentException(problem) : id;

    /// <summary>A fresh id: the UTC time to the second and a random suffix, so two submits in one second differ.</summary>
    public static string New(string prefix) => $"{prefix}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
}
