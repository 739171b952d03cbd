using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace VideoNas.Tests;

/// <summary>
/// TorchSharp 0.107 hands libtorch only the handle of a number's Scalar; nothing keeps the Scalar object
/// alive during the call, so a collection on another thread can finalize it while libtorch reads it.
/// This failed real searches (see <c>VideoNas.Nas.ScalarSafe</c>). The check reads our assemblies' IL
/// for the calls that make such a Scalar: a number converted to Scalar, and the TorchSharp overloads that
/// build one inside (<c>a.add(b)</c> is <c>a.add(b, 1)</c>).
/// </summary>
public class ImplicitScalarTests
{
    [Fact]
    public void NoCodeOfOursMakesAScalarThatNothingKeepsAlive()
    {
        var offenders = new List<string>();
        foreach (var assembly in new[] { "VideoNas.Nas.dll", "VideoNas.Grains.dll", "videonas.dll", "videonas-silo.dll", "videonas-kernel-probe.dll" })
            offenders.AddRange(Offenders(Path.Combine(AppContext.BaseDirectory, assembly)));
        Assert.True(offenders.Count == 0, "calls that make a Scalar nothing keeps alive (use ScalarSafe):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheCheckFindsTheCallsItLooksFor()
    {
        // This test assembly calls both kinds on purpose, below.
        var found = Offenders(typeof(ImplicitScalarTests).Assembly.Location);
        Assert.Contains(found, f => f.Contains(nameof(Unsafe)) && f.Contains("op_Implicit"));
        Assert.Contains(found, f => f.Contains(nameof(Unsafe)) && f.Contains("add(1 argument)"));
    }

    private static TorchSharp.torch.Tensor Unsafe(TorchSharp.torch.Tensor a) => a.add(a).mul(2.0);

    private static IEnumerable<string> Offenders(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var risky = new Dictionary<int, string>();
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            string type = md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Name);
            string name = md.GetString(member.Name);
            var signature = md.GetBlobReader(member.Signature);
            var header = signature.ReadSignatureHeader();
            if (header.Kind != SignatureKind.Method) continue;
            if (header.IsGeneric) signature.ReadCompressedInteger();
            int parameters = signature.ReadCompressedInteger();
            string? why = (type, name, parameters) switch
            {
                ("Scalar", "op_Implicit", _) => "a number converted to Scalar (op_Implicit)",
                ("Tensor", "add" or "add_", 1) => $"{name}(1 argument), which passes a Scalar 1",
                ("Tensor", "addcmul" or "addcmul_" or "addcdiv" or "addcdiv_", 2) => $"{name}(2 arguments), which passes a Scalar 1",
                ("Tensor", "op_Addition", _) => "Tensor + Tensor, which passes a Scalar 1",
                _ => null,
            };
            if (why is not null) risky[MetadataTokens.GetToken(handle)] = why;
        }
        foreach (var methodHandle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(methodHandle);
            if (method.RelativeVirtualAddress == 0) continue;
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
            string owner = md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name);
            if (owner == "ScalarSafe") continue;
            // call (0x28), callvirt (0x6F), newobj (0x73) followed by a member token.
            for (int i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] is not (0x28 or 0x6F or 0x73)) continue;
                int token = BitConverter.ToInt32(il, i + 1);
                if (risky.TryGetValue(token, out var why))
                    yield return $"{Path.GetFileName(path)}: {owner}.{md.GetString(method.Name)}: {why}";
            }
        }
    }
}
