using System.Text;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using ConvCompare.Limits;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Limits;

/// <summary>Text from a file is shortened and escaped before it is printed; the header's size and entry count are bounded.</summary>
public class UntrustedHeaderTests
{
    /// <summary>A line of the program's output that a terminal shows as one line, however hostile the file.</summary>
    private const int LongestMessage = 400;

    [Fact]
    public void HalfMegabyteTensorName_IsShortenedInTheMessage()
    {
        string name = new('n', 500_000);
        string message = ReadError(Raw("{\"" + name + "\":{\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Assert.Contains("'" + new string('n', UntrustedText.MaxShown) + "... (500000 characters)'", message, StringComparison.Ordinal);
        Assert.True(message.Length < LongestMessage, $"{message.Length} characters");
    }

    [Fact]
    public void HalfMegabyteMetadataKey_IsShortenedInTheMessage()
    {
        string key = new('k', 500_000);
        string message = ReadError(Raw("{\"__metadata__\":{\"" + key + "\":1}}", 0));
        Assert.Contains("... (500000 characters)", message, StringComparison.Ordinal);
        Assert.True(message.Length < LongestMessage, $"{message.Length} characters");
    }

    [Fact]
    public void TwoMegabyteName_IsRefusedByTheHeaderSizeInOneShortSentence()
    {
        string name = new('n', 2_000_000);
        string message = ReadError(Raw("{\"" + name + "\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Assert.Contains($"more than the {SafetensorsFile.MaxHeaderBytes} bytes this reader accepts", message, StringComparison.Ordinal);
        Assert.True(message.Length < LongestMessage, $"{message.Length} characters");
    }

    [Fact]
    public void NameWithEscapeSequenceAndNewline_IsPrintedEscapedOnOneLine()
    {
        string message = ReadError(Raw("{\"\\u001b[31mred\\nline\":{\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        Assert.DoesNotContain('\u001b', message);
        Assert.DoesNotContain('\n', message);
        Assert.Contains(@"'\u001B[31mred\nline'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataValueWithControlCharacters_IsPrintedEscaped()
    {
        string message = ReadError(EditedSmallCase(editMetadata: m => m[GoldenFormat.Op] = "conv\u009b2d\r"));
        Assert.Contains(@"""conv\u009B2d\r""", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', message);
    }

    [Fact]
    public void FileNameWithAnEscapeSequence_IsPrintedEscaped()
    {
        var error = Assert.Throws<GoldenFileException>(() => SafetensorsFile.Parse([1], "evil\u001b[2J.safetensors"));
        Assert.StartsWith(@"evil\u001B[2J.safetensors: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderOfAMillionEmptyTensors_IsRefusedQuicklyAndCheaply()
    {
        // 1.3 million zero-sized tensors in an 87 MB header: every entry is valid on its own.
        var header = new StringBuilder("{");
        for (int i = 0; i < 1_300_000; i++)
            header.Append(i == 0 ? "" : ",").Append("\"t").Append(i).Append("\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}");
        header.Append('}');
        byte[] bytes = Raw(header.ToString(), 0);
        var (message, allocated) = Hostile.Within(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            string error = ReadError(bytes);
            return (error, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        Assert.Contains("bytes this reader accepts", message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void HeaderWithMoreEntriesThanTheLimit_IsRefused()
    {
        string entries = string.Join(",", Enumerable.Range(0, SafetensorsFile.MaxEntries + 1).Select(i => $"\"t{i}\":{{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}}"));
        Assert.Contains($"more than {SafetensorsFile.MaxEntries} entries", ReadError(Raw("{" + entries + "}", 0)), StringComparison.Ordinal);
    }

    [Fact]
    public void LargestHeaderAccepted_AllocatesWithinTheDocumentedFigure()
    {
        // The worst header the bounds allow: MaxEntries tensors whose names fill MaxHeaderBytes.
        int nameLength = (int)(SafetensorsFile.MaxHeaderBytes / SafetensorsFile.MaxEntries) - 60;
        string entries = string.Join(",", Enumerable.Range(0, SafetensorsFile.MaxEntries)
            .Select(i => $"\"{i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)}{new string('n', nameLength - 8)}\":{{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}}"));
        byte[] bytes = Raw("{" + entries + "}", 0);
        Assert.InRange(bytes.Length, SafetensorsFile.MaxHeaderBytes * 9 / 10, SafetensorsFile.MaxHeaderBytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var file = SafetensorsFile.Parse(bytes, "widest.safetensors");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(SafetensorsFile.MaxEntries, file.Tensors.Count);
        Assert.True(allocated <= SafetensorsFile.MaxHeaderOverheadBytes, $"{allocated} bytes allocated");
    }
}
