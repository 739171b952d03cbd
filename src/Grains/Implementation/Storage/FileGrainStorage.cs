using System.Globalization;
using System.Text.Json;
using Orleans.Storage;

namespace VideoNas.Grains.Storage;

/// <summary>
/// Grain state as one JSON file per grain and state name under a local directory: the embedded
/// default, so a single-process run keeps its trials across restarts with no external server.
/// Writes go through a temporary file and a rename, so a crash leaves the old or the new state, never half.
/// </summary>
public sealed class FileGrainStorage(string directory) : IGrainStorage
{

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            return;
        }
        await using var stream = File.OpenRead(path);
        try
        {
            grainState.State = await JsonSerializer.DeserializeAsync<T>(stream, Core.JsonFormats.Indented)
                ?? throw new InvalidDataException("empty state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: grain state is not valid JSON for {typeof(T).Name} ({e.Message})", e);
        }
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, grainState.State, Core.JsonFormats.Indented);
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(Directory, "grains", Safe(stateName), Safe(grainId.ToString()) + ".json");

    private static string Safe(string name) => Uri.EscapeDataString(name);
}
