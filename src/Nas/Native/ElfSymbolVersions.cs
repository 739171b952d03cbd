using System.Buffers.Binary;
using System.Text;

namespace VideoNas.Nas.Native;

/// <summary>
/// Reads and edits the GNU symbol-versioning sections of a 64-bit little-endian ELF shared object:
/// the versions a library needs from its dependencies (<c>.gnu.version_r</c>) and the versions a
/// library defines (<c>.gnu.version_d</c>). Only what the native bootstrap needs, nothing more.
/// </summary>
public static class ElfSymbolVersions
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    public const ushort VerFlagWeak = 0x2;

    /// <summary>One version a library needs, and where its <c>Vernaux</c> entry sits in the file.</summary>
    public sealed record VersionNeed(string File, string Version, ushort Flags, long AuxOffset);

    public static IReadOnlyList<VersionNeed> ReadNeeds(ReadOnlySpan<byte> elf)
    {
        var needs = new List<VersionNeed>();
        foreach (var (offset, count, strtab) in SectionsOfType(elf, ShtGnuVerneed))
        {
            long entry = offset;
            for (int i = 0; i < count; i++)
            {
                ushort auxCount = U16(elf, entry + 2);
                string file = CString(elf, strtab + U32(elf, entry + 4));
                long aux = entry + U32(elf, entry + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    ushort flags = U16(elf, aux + 4);
                    string name = CString(elf, strtab + U32(elf, aux + 8));
                    needs.Add(new VersionNeed(file, name, flags, aux));
                    aux += U32(elf, aux + 12);
                }
                entry += U32(elf, entry + 12);
            }
        }
        return needs;
    }

    public static IReadOnlySet<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var defs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (offset, count, strtab) in SectionsOfType(elf, ShtGnuVerdef))
        {
            long entry = offset;
            for (int i = 0; i < count; i++)
            {
                ushort auxCount = U16(elf, entry + 6);
                long aux = entry + U32(elf, entry + 12);
                // The first Verdaux names the version itself; later ones name its parents.
                if (auxCount > 0) defs.Add(CString(elf, strtab + U32(elf, aux)));
                entry += U32(elf, entry + 16);
            }
        }
        return defs;
    }

    /// <summary>
    /// Marks the given needed versions weak, so the dynamic loader only warns instead of refusing
    /// the library when the dependency lacks them. Returns how many entries changed.
    /// </summary>
    public static int MarkWeak(Span<byte> elf, string file, IReadOnlySet<string> versions)
    {
        int changed = 0;
        foreach (var need in ReadNeeds(elf))
        {
            if (need.File != file || !versions.Contains(need.Version) || (need.Flags & VerFlagWeak) != 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.Slice((int)need.AuxOffset + 4), (ushort)(need.Flags | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    private static IEnumerable<(long Offset, uint Count, long StringTable)> SectionsOfType(ReadOnlySpan<byte> elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        long shoff = (long)U64(elf, 0x28);
        ushort shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        var found = new List<(long, uint, long)>();
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (U32(elf, sh + 4) != type) continue;
            uint link = U32(elf, sh + 40);
            long strtab = (long)U64(elf, shoff + (long)link * shentsize + 24);
            found.Add(((long)U64(elf, sh + 24), U32(elf, sh + 44), strtab));
        }
        return found;
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(checked((int)at)));
    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(checked((int)at)));
    private static ulong U64(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(checked((int)at)));

    private static string CString(ReadOnlySpan<byte> b, long at)
    {
        var s = b.Slice(checked((int)at));
        int end = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? s : s[..end]);
    }
}
