using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace VideoNas.Nas.Search;

/// <summary>
/// Named tensors plus a JSON header in one file: the magic "VNCKPT01", the header's length (int32,
/// little-endian), the UTF-8 header <c>{"meta": {...}, "tensors": [{"name", "dtype", "shape"}, ...]}</c>,
/// the tensors' raw bytes in header order, and a SHA-256 of everything before it. Written through a
/// temporary file, flushed to the disk and renamed, so a reader sees the whole old file or the whole new
/// one; the digest turns a file damaged later (a full disk, a bad copy) into an error naming it.
/// </summary>
public static class CheckpointFile
{
    private static readonly byte[] Magic = "VNCKPT01"u8.ToArray();

    public static void Write(string path, JsonObject meta, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var scope = NewDisposeScope();
        var cpu = tensors.Select(t => (t.Name, Tensor: t.Tensor.detach().cpu().contiguous())).ToList();
        var header = new JsonObject
        {
            ["meta"] = meta.DeepClone(),
            ["tensors"] = new JsonArray(cpu.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["dtype"] = t.Tensor.dtype.ToString(),
                ["shape"] = new JsonArray(t.Tensor.shape.Select(d => (JsonNode)d).ToArray()),
            }).ToArray()),
        };
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = $"{path}.tmp-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            void Put(ReadOnlySpan<byte> bytes)
            {
                file.Write(bytes);
                hash.AppendData(bytes);
            }
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, headerBytes.Length);
            Put(Magic);
            Put(length);
            Put(headerBytes);
            foreach (var (_, t) in cpu) Put(t.bytes);
            file.Write(hash.GetHashAndReset());
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The element types a checkpoint may hold, with their sizes: what Write produces, nothing else.</summary>
    private static readonly Dictionary<ScalarType, int> ElementSizes = new()
    {
        [ScalarType.Float32] = 4, [ScalarType.Float64] = 8, [ScalarType.Float16] = 2, [ScalarType.BFloat16] = 2,
        [ScalarType.Int64] = 8, [ScalarType.Int32] = 4, [ScalarType.Byte] = 1, [ScalarType.Bool] = 1,
    };

    /// <summary>
    /// The header's meta object and every tensor (on the CPU; the caller disposes them). Every problem is a
    /// <see cref="CheckpointUnreadableException"/> naming the file, found before anything is allocated for it.
    /// </summary>
    public static (JsonObject Meta, Dictionary<string, Tensor> Tensors) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointUnreadableException(path, "no such checkpoint");
        byte[] all = File.ReadAllBytes(path);
        if (all.Length < Magic.Length + 4 + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointUnreadableException(path, "not a VideoNas checkpoint (no VNCKPT01 header)");
        int body = all.Length - 32;
        if (!SHA256.HashData(all.AsSpan(0, body)).AsSpan().SequenceEqual(all.AsSpan(body)))
            throw new CheckpointUnreadableException(path, "checkpoint is damaged (its SHA-256 does not match its contents)");

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(Magic.Length));
        int offset = Magic.Length + 4;
        if (headerLength <= 0 || headerLength > body - offset)
            throw new CheckpointUnreadableException(path, $"its header length {headerLength} does not fit in the file");
        var (meta, entries) = Header(path, all.AsSpan(offset, headerLength));
        offset += headerLength;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, dtype, shape, bytes) in entries)
        {
            if (bytes > body - offset) throw new CheckpointUnreadableException(path, $"checkpoint ends inside tensor {name}");
            var t = empty(shape, dtype);
            t.bytes = all.AsSpan(offset, (int)bytes);
            offset += (int)bytes;
            tensors[name] = t;
        }
        return (meta, tensors);
    }

    private static (JsonObject Meta, List<(string Name, ScalarType Dtype, long[] Shape, long Bytes)> Tensors) Header(string path, ReadOnlySpan<byte> text)
    {
        CheckpointUnreadableException Bad(string why, Exception? inner = null) => new(path, $"its header is malformed: {why}", inner);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(text) as JsonObject ?? throw Bad("not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Bad(e.Message, e);
        }
        var meta = header["meta"] as JsonObject ?? throw Bad("no \"meta\" object");
        var list = header["tensors"] as JsonArray ?? throw Bad("no \"tensors\" array");
        var entries = new List<(string, ScalarType, long[], long)>();
        foreach (var entry in list)
        {
            string name = entry?["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)entry["name"]! : throw Bad("a tensor without a name");
            string dtypeText = entry["dtype"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)entry["dtype"]! : "";
            if (!Enum.TryParse<ScalarType>(dtypeText, out var dtype) || !ElementSizes.TryGetValue(dtype, out int size))
                throw Bad($"tensor {name} has dtype \"{dtypeText}\", not one of {string.Join(", ", ElementSizes.Keys)}");
            if (entry["shape"] is not JsonArray dims || dims.Any(d => d?.GetValueKind() != System.Text.Json.JsonValueKind.Number))
                throw Bad($"tensor {name} has no shape");
            long[] shape = dims.Select(d => (long)d!).ToArray();
            // In longs, and bounded by the file before anything is allocated: a shape cannot ask for more than the file holds.
            long bytes = size;
            foreach (long d in shape)
            {
                if (d < 0) throw Bad($"tensor {name} has a negative dimension");
                bytes = d == 0 ? 0 : bytes <= int.MaxValue / d ? bytes * d : throw Bad($"tensor {name} is larger than a checkpoint can hold");
            }
            entries.Add((name, dtype, shape, bytes));
        }
        return (meta, entries);
    }
}
