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

    /// <summary>The header's meta object and every tensor (on the CPU; the caller disposes them).</summary>
    public static (JsonObject Meta, Dictionary<string, Tensor> Tensors) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint", path);
        byte[] all = File.ReadAllBytes(path);
        if (all.Length < Magic.Length + 4 + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a VideoNas checkpoint (no VNCKPT01 header)");
        int body = all.Length - 32;
        if (!SHA256.HashData(all.AsSpan(0, body)).AsSpan().SequenceEqual(all.AsSpan(body)))
            throw new InvalidDataException($"{path}: checkpoint is damaged (its SHA-256 does not match its contents)");

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(Magic.Length));
        int offset = Magic.Length + 4;
        var header = JsonNode.Parse(Encoding.UTF8.GetString(all, offset, headerLength))!.AsObject();
        offset += headerLength;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in header["tensors"]!.AsArray())
        {
            string name = (string)entry!["name"]!;
            var dtype = Enum.Parse<ScalarType>((string)entry["dtype"]!);
            long[] shape = entry["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            var t = empty(shape, dtype);
            int bytes = checked((int)(t.numel() * t.ElementSize));
            if (offset + bytes > body) throw new InvalidDataException($"{path}: checkpoint ends inside tensor {name}");
            t.bytes = all.AsSpan(offset, bytes);
            offset += bytes;
            tensors[name] = t;
        }
        return (header["meta"]!.AsObject(), tensors);
    }
}
