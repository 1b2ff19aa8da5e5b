using System.Buffers.Binary;
using System.Text;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

/// <summary>
/// Seeded random corruption of a valid golden file: whatever the bytes, the reader returns a case or
/// throws <see cref="GoldenFileException"/> with one line naming the file, never anything else.
/// </summary>
public class GoldenFileMutationTests
{
    private const string FileName = "mutant.safetensors";

    [Theory]
    [InlineData("seed_eq1_single_channel", 1UL)]
    [InlineData("pad_asymmetric", 2UL)]
    public void RandomlyCorruptedFile_ReadsOrFailsWithOneClearLine(string sample, ulong seed)
    {
        byte[] original = File.ReadAllBytes(Sample(sample));
        var random = new TestRandom(seed);
        int read = 0, rejected = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutant = Mutate(original, random);
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
        }
        // Both outcomes must occur, or the mutations are not exercising the reader.
        Assert.True(read > 0 && rejected > 0, $"read {read}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] original, TestRandom random)
    {
        byte[] bytes = (byte[])original.Clone();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        switch (random.Next(6))
        {
            case 0: // a few random bytes anywhere
                for (int k = 1 + random.Next(4); k > 0; k--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 1: // a few random bytes inside the header JSON
                for (int k = 1 + random.Next(3); k > 0; k--)
                    bytes[8 + random.Next(headerLength)] = (byte)random.Next(256);
                return bytes;
            case 2: // a digit of the header changed: offsets, shapes and metadata numbers
            {
                string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
                var digits = Enumerable.Range(0, header.Length).Where(p => char.IsAsciiDigit(header[p])).ToList();
                bytes[8 + digits[random.Next(digits.Count)]] = (byte)('0' + random.Next(10));
                return bytes;
            }
            case 3: // the header length replaced: near the real one, or anything
                ulong length = random.Next(2) == 0
                    ? (ulong)Math.Max(0, headerLength + random.Next(33) - 16)
                    : random.NextUInt64() >> random.Next(64);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                return bytes;
            case 4: // truncated
                return bytes[..random.Next(bytes.Length)];
            default: // a run of header characters deleted (keeps the length field, so the JSON shifts)
            {
                int start = 8 + random.Next(headerLength);
                int count = 1 + random.Next(Math.Min(8, bytes.Length - start));
                return [.. bytes[..start], .. bytes[(start + count)..]];
            }
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): the same sequence on every machine and runtime.</summary>
    private sealed class TestRandom(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextUInt64()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Next(int bound) => (int)(NextUInt64() % (ulong)bound);
    }
}
