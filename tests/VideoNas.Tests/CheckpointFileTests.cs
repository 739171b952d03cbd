using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VideoNas.Nas.Search;

namespace VideoNas.Tests;

/// <summary>Checkpoints whose digest is right but whose header is not: refused by name, before any allocation.</summary>
public class CheckpointFileTests
{
    /// <summary>A file with the magic, the given header length and text, a body, and a correct SHA-256.</summary>
    private static string Crafted(TempFolder folder, string header, int? headerLength = null, int bodyBytes = 16)
    {
        byte[] text = Encoding.UTF8.GetBytes(header);
        var content = new List<byte>("VNCKPT01"u8.ToArray());
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, headerLength ?? text.Length);
        content.AddRange(length);
        content.AddRange(text);
        content.AddRange(new byte[bodyBytes]);
        content.AddRange(SHA256.HashData(content.ToArray()));
        string path = folder["crafted.ckpt"];
        File.WriteAllBytes(path, content.ToArray());
        return path;
    }

    [Theory]
    [InlineData("{\"meta\": {}, \"tensors\": []}", int.MaxValue, "its header length 2147483647 does not fit in the file")]
    [InlineData("{\"meta\": {}, \"tensors\": []}", -4, "its header length -4 does not fit in the file")]
    [InlineData("{\"meta\": {}, \"tens", null, "its header is malformed")]
    [InlineData("[1, 2]", null, "its header is malformed: not a JSON object")]
    [InlineData("{\"tensors\": []}", null, "no \"meta\" object")]
    [InlineData("{\"meta\": {}, \"tensors\": [{\"name\": \"w\", \"dtype\": \"ComplexFloat\", \"shape\": [2]}]}", null, "tensor w has dtype \"ComplexFloat\"")]
    [InlineData("{\"meta\": {}, \"tensors\": [{\"name\": \"w\", \"dtype\": \"Float32\", \"shape\": [2, -1]}]}", null, "tensor w has a negative dimension")]
    [InlineData("{\"meta\": {}, \"tensors\": [{\"name\": \"w\", \"dtype\": \"Float32\", \"shape\": [1048576, 1048576, 1048576]}]}", null, "tensor w is larger than a checkpoint can hold")]
    [InlineData("{\"meta\": {}, \"tensors\": [{\"name\": \"w\", \"dtype\": \"Float32\", \"shape\": [65536, 1024]}]}", null, "checkpoint ends inside tensor w")]
    [InlineData("{\"meta\": {}, \"tensors\": [{\"dtype\": \"Float32\", \"shape\": [2]}]}", null, "a tensor without a name")]
    public void AMalformedHeaderIsRefusedNamingTheFile(string header, int? headerLength, string reason)
    {
        using var folder = new TempFolder("videonas-crafted-");
        string path = Crafted(folder, header, headerLength);
        var e = Assert.Throws<CheckpointUnreadableException>(() => CheckpointFile.Read(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void AWellFormedCraftedFileReads()
    {
        using var folder = new TempFolder("videonas-crafted-");
        string path = Crafted(folder, "{\"meta\": {\"k\": 1}, \"tensors\": [{\"name\": \"w\", \"dtype\": \"Float32\", \"shape\": [2, 2]}]}");
        var (meta, tensors) = CheckpointFile.Read(path);
        using var w = tensors["w"];
        Assert.Equal(1, (int)meta["k"]!);
        Assert.Equal([2L, 2L], w.shape);
    }
}
