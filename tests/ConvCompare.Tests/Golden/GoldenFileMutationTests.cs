using System.Buffers.Binary;
using System.Text;
using ConvCompare.Cases;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

/// <summary>
/// Seeded random corruption of a valid golden file: whatever the bytes, the reader returns a case or
/// throws <see cref="GoldenFileException"/> with one line naming the file, never anything else, and
/// never allocates more than a few times the file's size, whatever its header claims.
/// </summary>
public class GoldenFileMutationTests
{
    private const string FileName = "mutant.safetensors";

    /// <summary>
    /// Allocation allowed per byte of file: the file's bytes are already in memory here; the values
    /// widened to double take at most twice the data; the parsed header takes about its own size.
    /// </summary>
    private const long AllocationPerByte = 4;

    /// <summary>
    /// Fixed allocation of parsing, independent of any header claim: dictionaries, the JSON document,
    /// and for a rejected file the exception with its stack trace (20 to 40 KB measured, up to 90 KB
    /// when a resource string is loaded the first time). Claims that matter are far larger: header
    /// lengths up to 2^64 and shapes up to 2^31 per axis.
    /// </summary>
    private const long AllocationOverhead = 256 * 1024;

    [Theory]
    [InlineData("seed_eq1_single_channel", 1UL)]
    [InlineData("pad_asymmetric", 2UL)]
    public void RandomlyCorruptedFile_ReadsOrFailsWithOneClearLine(string sample, ulong seed)
        => AssertEveryMutantReadsOrFailsWithOneLine(File.ReadAllBytes(Sample(sample)), seed);

    /// <summary>2000 seeded mutants of <paramref name="original"/>: each reads as a case or fails with one line, within the allocation bound, and both occur.</summary>
    internal static void AssertEveryMutantReadsOrFailsWithOneLine(byte[] original, ulong seed)
    {
        var random = new SplitMix64(seed);
        int read = 0, rejected = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutant = Mutate(original, ref random);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var golden = GoldenCaseReader.FromFile(SafetensorsFile.Parse(mutant, FileName));
                Assert.NotNull(golden.Y);
                read++;
            }
            catch (GoldenFileException ex)
            {
                Assert.StartsWith(FileName + ": ", ex.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', ex.Message);
                rejected++;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= AllocationPerByte * mutant.Length + AllocationOverhead,
                $"mutant {i} ({mutant.Length} bytes) allocated {allocated} bytes");
        }
        // Both outcomes must occur, or the mutations are not exercising the reader.
        Assert.True(read > 0 && rejected > 0, $"read {read}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] original, ref SplitMix64 random)
    {
        byte[] bytes = (byte[])original.Clone();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        switch (random.Between(0, 5))
        {
            case 0: // a few random bytes anywhere
                for (int k = random.Between(1, 4); k > 0; k--)
                    bytes[random.Between(0, bytes.Length - 1)] = (byte)random.Between(0, 255);
                return bytes;
            case 1: // a few random bytes inside the header JSON
                for (int k = random.Between(1, 3); k > 0; k--)
                    bytes[8 + random.Between(0, headerLength - 1)] = (byte)random.Between(0, 255);
                return bytes;
            case 2: // a digit of the header changed: offsets, shapes and metadata numbers
            {
                string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
                var digits = Enumerable.Range(0, header.Length).Where(p => char.IsAsciiDigit(header[p])).ToList();
                bytes[8 + digits[random.Between(0, digits.Count - 1)]] = (byte)('0' + random.Between(0, 9));
                return bytes;
            }
            case 3: // the header length replaced: near the real one, or anything
                ulong length = random.Chance(0.5)
                    ? (ulong)Math.Max(0, headerLength + random.Between(-16, 16))
                    : random.Next() >> random.Between(0, 63);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                return bytes;
            case 4: // truncated
                return bytes[..random.Between(0, bytes.Length - 1)];
            default: // a run of header characters deleted (keeps the length field, so the JSON shifts)
            {
                int start = 8 + random.Between(0, headerLength - 1);
                int count = random.Between(1, Math.Min(8, bytes.Length - start));
                return [.. bytes[..start], .. bytes[(start + count)..]];
            }
        }
    }
}
