using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VideoNas.Core;

/// <summary>A config that cannot be used: a bad field, value or JSON text. On the command line it is misuse (exit 2).</summary>
public sealed class ConfigException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Reading a config file (snake_case JSON, unknown fields refused) into its record, with every problem said in the
/// project's words: the file, the field and what it accepts, never a CLR type name.
/// </summary>
public static partial class ConfigJson
{
    public static T Parse<T>(string json, string source, JsonSerializerOptions options) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw new ConfigException($"{source}: empty; give a JSON object of fields");
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{source}: {Describe(e, typeof(T), options)}", e);
        }
    }

    /// <summary>
    /// The fields the file names, over <paramref name="defaults"/>: a partial file changes only what it says (the
    /// file alone is read first, so its problems are reported with its own line numbers).
    /// </summary>
    public static T Overlay<T>(string json, string source, JsonSerializerOptions options, T defaults) where T : class
    {
        Parse<T>(json, source, options);
        var merged = JsonSerializer.SerializeToNode(defaults, options)!.AsObject();
        foreach (var (field, value) in JsonNode.Parse(json)!.AsObject()) merged[field] = value?.DeepClone();
        return merged.Deserialize<T>(options)!;
    }

    /// <summary>A field's rule: <paramref name="why"/> says what the field accepts.</summary>
    public static void Require(bool ok, string source, string field, string why)
    {
        if (!ok) throw new ConfigException($"{source}: \"{field}\" {why}");
    }

    private static string Describe(JsonException e, Type type, JsonSerializerOptions options)
    {
        string field = e.Path is { Length: > 2 } path ? path[(path.LastIndexOf('.') + 1)..].Split('[')[0] : "";
        string where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
                .Select(p => options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name).Order(StringComparer.Ordinal);
            return $"unknown field \"{field}\"{where}; the fields are {string.Join(", ", known)}";
        }
        if (ConvertedTo().Match(e.Message) is { Success: true } m && field.Length > 0)
            return $"\"{field}\"{where} must be {KindOf(m.Groups[1].Value)}";
        return e is { LineNumber: { } at, BytePositionInLine: { } column } ? $"not valid JSON (line {at + 1}, column {column + 1})" : "not valid JSON";
    }

    /// <summary>What a value of a CLR type is, in words a user reads ("a whole number" for System.Nullable`1[System.Int32]).</summary>
    public static string KindOf(string clrType) => clrType switch
    {
        _ when clrType.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when clrType.Contains("Double", StringComparison.Ordinal) || clrType.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when clrType.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when clrType.Contains("List", StringComparison.Ordinal) || clrType.Contains("[]", StringComparison.Ordinal) => "a list",
        _ when clrType.Contains("String", StringComparison.Ordinal) => "a string",
        _ => "of another kind",
    };

    [GeneratedRegex(@"could not be converted to ([^\s.]+(?:\.[^\s.]+)*)")]
    private static partial Regex ConvertedTo();
}
