using System.Security.Cryptography;
using System.Text.Json;
using Orleans.Storage;

namespace VideoNas.Grains.Storage;

/// <summary>
/// Grain state as one JSON file per grain and state name under a local directory: the embedded
/// default, so a single-process run keeps its trials across restarts with no external server.
/// Writes are durable replacements (<see cref="Core.DurableFile"/>), so a crash leaves the old or the new state, never half.
/// The ETag is a hash of the file: a write whose grain read an older version is refused, as Orleans'
/// storage providers do, instead of silently overwriting another writer's update.
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
        byte[] bytes = await File.ReadAllBytesAsync(path);
        try
        {
            grainState.State = JsonSerializer.Deserialize<T>(bytes, Core.JsonFormats.Indented) ?? throw new InvalidDataException("empty state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: grain state is not valid JSON for {typeof(T).Name} ({e.Message})", e);
        }
        grainState.ETag = ETagOf(bytes);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        string? stored = File.Exists(path) ? ETagOf(await File.ReadAllBytesAsync(path)) : null;
        if (stored != grainState.ETag)
            throw new InconsistentStateException($"{path}: written by someone else since this grain read it (is another process using this state folder?)",
                stored, grainState.ETag);
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(grainState.State, Core.JsonFormats.Indented);
        // Off the grain scheduler: the flushes wait for the disk.
        await Task.Run(() => Core.DurableFile.Replace(path, bytes));
        grainState.ETag = ETagOf(bytes);
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

    private static string ETagOf(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes), 0, 16);

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(Directory, "grains", Safe(stateName), Safe(grainId.ToString()) + ".json");

    private static string Safe(string name) => Uri.EscapeDataString(name);
}
