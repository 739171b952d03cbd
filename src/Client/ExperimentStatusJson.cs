using System.Text.Json;
using System.Text.Json.Serialization;
using VideoNas.Grains;

namespace VideoNas.Client;

/// <summary>An experiment's status as every <c>--json</c> of the experiment verbs prints it.</summary>
public static class ExperimentStatusJson
{
    private static readonly JsonSerializerOptions Options = new(Core.JsonFormats.Output) { Converters = { new JsonStringEnumConverter() } };
    private static readonly JsonSerializerOptions OneLineOptions = new(Options) { WriteIndented = false };

    public static string Serialize(ExperimentStatus status) => JsonSerializer.Serialize(status, Options);

    /// <summary>For JSON Lines: the same object on one line.</summary>
    public static string OneLine(ExperimentStatus status) => JsonSerializer.Serialize(status, OneLineOptions);

    public static string Serialize(IReadOnlyList<ExperimentStatus> statuses) => JsonSerializer.Serialize(statuses, Options);
}
