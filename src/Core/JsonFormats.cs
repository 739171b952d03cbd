using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Core.Search;

namespace VideoNas.Core;

public static class JsonFormats
{
    /// <summary>Indented, names as the C# properties have them, NaN and ±Infinity as strings: grain state and α files.</summary>
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// For what a run writes (results, status, grain state, reports): snake_case and indented like the
    /// configs, with NaN and ±Infinity written as the strings "NaN", "Infinity", "-Infinity", so a diverged
    /// loss is recorded instead of failing the write. Configs are read with the stricter <see cref="SearchConfig.Json"/>.
    /// </summary>
    public static readonly JsonSerializerOptions Output = new(SearchConfig.Json)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}
