using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using VideoNas.Nas.Data;

namespace VideoNas.Nas.Search;

/// <summary>
/// A search replica's checkpoint: its <see cref="SearchState"/>, the data cursor and the global step.
/// Replicas of a data-parallel search are identical, so one replica's checkpoint restores every shard
/// (each keeps its own slice of the batches, which the cursor and its rank determine). The configuration's
/// digest is stored too: a checkpoint taken under another configuration is refused, not half-applied.
/// </summary>
public static class SearchCheckpoint
{
    private const string Format = "videonas-search/1";
    private static readonly string[] AddedLater = ["single_path"];

    public static void Save(string path, BilevelSearch search, DataCursor cursor, long step)
    {
        var state = search.SaveState();
        var meta = new JsonObject
        {
            ["format"] = Format,
            ["step"] = step,
            ["epoch"] = state.Epoch,
            ["arch_steps"] = state.ArchSteps,
            ["config_sha256"] = ConfigDigest(search),
            ["cursor"] = new JsonObject
            {
                ["weight_position"] = cursor.WeightPosition,
                ["arch_position"] = cursor.ArchPosition,
                ["weight_batches"] = cursor.WeightBatches,
                ["arch_batches"] = cursor.ArchBatches,
            },
        };
        CheckpointFile.Write(path, meta, state.Tensors);
    }

    /// <summary>Restores <paramref name="search"/> from the file and returns the step and data cursor to continue from.</summary>
    public static (long Step, DataCursor Cursor) Load(string path, BilevelSearch search)
    {
        var (meta, tensors) = CheckpointFile.Read(path);
        try
        {
            if ((string?)meta["format"] != Format) throw new CheckpointUnreadableException(path, $"not a search checkpoint (format {meta["format"]})");
            if ((string?)meta["config_sha256"] != ConfigDigest(search))
                throw new CheckpointUnreadableException(path, "the checkpoint was taken under another search configuration; it cannot continue this one");
            search.LoadState(new SearchState((int)meta["epoch"]!, (long)meta["arch_steps"]!, tensors.Select(t => (t.Key, t.Value)).ToList()), path);
            var c = meta["cursor"]!;
            return ((long)meta["step"]!, new DataCursor((int)c["weight_position"]!, (int)c["arch_position"]!, (long)c["weight_batches"]!, (long)c["arch_batches"]!));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The digest of what the checkpoint's numbers depend on: the configuration, less the settings that only
    /// change how fast clips load or steps run (a resumed trial may use other workers, prefetch, cache folder,
    /// or the other form of the same edges).
    /// </summary>
    private static string ConfigDigest(BilevelSearch search)
    {
        var results = search.Config with { DecodeWorkers = 0, PrefetchBatches = 0, DecodeCacheDir = null, ReduceBucketMb = 0 };
        var json = JsonNode.Parse(results.ToJson())!.AsObject();
        // Fields added after the format count only when set, so a checkpoint taken before they existed still continues.
        foreach (var field in AddedLater) if (json[field] is JsonValue v && v.GetValue<bool>() == false) json.Remove(field);
        // Both forms of an edge compute the same function; the field is left out, so checkpoints from before it still continue.
        json.Remove("fused_edges");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToJsonString(Core.Search.SearchConfig.Json)))).ToLowerInvariant();
    }
}
