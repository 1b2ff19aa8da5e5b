// MSBuild inline task (compiled by RoslynCodeTaskFactory from TorchSharpDebianPatch.targets beside it).
//
// Why it exists: TorchSharp 0.107.0's libLibTorchSharp.so was linked with GCC 13 and declares a
// need for symbol version GLIBCXX_3.4.32, which Debian 12's libstdc++ (GCC 12) lacks, so the
// dynamic loader refuses the library. The only symbol of that version is a never-called marker
// (std::ios_base_library_init), so marking the version need WEAK (VER_FLG_WEAK) turns the hard
// failure into a warning and the library loads. Where libstdc++ has the version, the flag is inert.
// See docs/platform.md for the measurements behind this.
//
// Written by hand because no package edits ELF version-need flags; patchelf is not on a fresh
// machine and --clear-symbol-version does not remove the need itself.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkGlibcxxNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The ELF files to patch in place (copies in the build output, never the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version-need name to mark weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                string outcome = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Low, "{0}: {1}", path, outcome);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
            {
                Log.LogWarning("Could not mark {0} weak in {1}: {2}", VersionName, path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static string Patch(string path, string versionName)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 0x40 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A);
        int shnum = U16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = Checked(elf, (long)shoff + (long)s * shentsize, 0x40);
            if (U32(elf, sh + 4) != ShtGnuVerneed)
                continue;

            long sectionOffset = (long)U64(elf, sh + 0x18);
            uint link = U32(elf, sh + 0x28);
            uint entries = U32(elf, sh + 0x2C);
            long strtabHeader = Checked(elf, (long)shoff + (long)link * shentsize, 0x40);
            long strtab = (long)U64(elf, strtabHeader + 0x18);

            long verneed = sectionOffset;
            for (uint e = 0; e < entries; e++)
            {
                Checked(elf, verneed, 16);
                int count = U16(elf, verneed + 2);
                long aux = verneed + U32(elf, verneed + 8);
                for (int a = 0; a < count; a++)
                {
                    Checked(elf, aux, 16);
                    if (CString(elf, strtab + U32(elf, aux + 8)) == versionName)
                    {
                        ushort flags = (ushort)U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                            return "already weak";
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        DateTime written = File.GetLastWriteTimeUtc(path);
                        File.WriteAllBytes(path, elf);
                        // Keeping the timestamp lets MSBuild's SkipUnchangedFiles leave the patched copy alone.
                        File.SetLastWriteTimeUtc(path, written);
                        return "marked weak";
                    }
                    aux += U32(elf, aux + 12);
                }
                uint next = U32(elf, verneed + 12);
                if (next == 0)
                    break;
                verneed += next;
            }
        }
        return "no need for " + versionName;
    }

    private static long Checked(byte[] b, long offset, int length)
    {
        if (offset < 0 || offset + length > b.Length)
            throw new InvalidDataException("offset 0x" + offset.ToString("x") + " lies outside the file");
        return offset;
    }

    private static int U16(byte[] b, long o) { Checked(b, o, 2); return b[o] | (b[o + 1] << 8); }
    private static uint U32(byte[] b, long o) { Checked(b, o, 4); return BitConverter.ToUInt32(b, (int)o); }
    private static ulong U64(byte[] b, long o) { Checked(b, o, 8); return BitConverter.ToUInt64(b, (int)o); }

    private static string CString(byte[] b, long o)
    {
        Checked(b, o, 1);
        long end = o;
        while (end < b.Length && b[end] != 0)
            end++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }
}
