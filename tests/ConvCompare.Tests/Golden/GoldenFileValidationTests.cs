using ConvCompare.Cases;
using System.Buffers.Binary;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

/// <summary>One small crafted file per way a golden file can be bad; each must give one clear sentence naming the file.</summary>
public class GoldenFileValidationTests
{
    [Fact]
    public void ValidSmallCase_ReadsWithItsHyperparametersAndValues()
    {
        var golden = GoldenCaseReader.FromFile(SafetensorsFile.Parse(EditedSmallCase(), "ok.safetensors"));
        Assert.Equal(CaseDtype.F64, golden.Dtype);
        Assert.False(golden.HasBias);
        Assert.Equal([1, 1, 3, 3], golden.X.Shape);
        Assert.Equal([1, 1, 2, 2], golden.Y.Shape);
        Assert.Equal(global::ConvRef.Conv2dSpec.Default, golden.Spec);
    }

    [Fact]
    public void FileShorterThanTheHeaderLength_IsTruncated()
        => Assert.Contains("is truncated: 5 bytes", ReadError([1, 0, 0, 0, 0]));

    [Fact]
    public void FileCutInsideTheData_HasOffsetsOutsideTheData()
    {
        byte[] bytes = EditedSmallCase();
        Assert.Contains("lie outside the 271-byte data section", ReadError(bytes[..^1]));
    }

    [Fact]
    public void HeaderLengthLargerThanTheFile_IsRejected()
    {
        byte[] bytes = EditedSmallCase();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
        Assert.Contains($"header length {bytes.Length} is larger than the {bytes.Length - 8} bytes that follow it", ReadError(bytes));
    }

    [Fact]
    public void AbsurdHeaderLength_IsRejectedBeforeAllocating()
    {
        byte[] bytes = EditedSmallCase();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains($"header length {ulong.MaxValue} is more than the {SafetensorsFile.MaxHeaderBytes} bytes", ReadError(bytes));
    }

    [Fact]
    public void MalformedJsonHeader_IsRejected()
        => Assert.Contains("the header is not valid JSON", ReadError(Raw("{\"x\": {\"dtype\": \"F64\",", 0)));

    [Fact]
    public void HeaderWithInvalidUtf8InAString_IsRejected()
    {
        byte[] bytes = Raw("{\"__metadata__\":{\"op\":\"conv2d\"}}", 0);
        bytes[8 + "{\"__metadata__\":{\"op\":\"".Length] = 0xF9;
        Assert.Contains("the header is not valid UTF-8 text", ReadError(bytes));
    }

    [Fact]
    public void HeaderThatIsNotAnObject_IsRejected()
        => Assert.Contains("the header is a JSON array, not an object", ReadError(Raw("[1, 2, 3]", 0)));

    [Fact]
    public void TensorEntryThatIsNotAnObject_IsRejected()
        => Assert.Contains("the header entry of tensor 'x' is a JSON number", ReadError(Raw("{\"x\": 3}", 0)));

    [Fact]
    public void OffsetsBeyondTheDataSection_AreRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("[240,272]", "[240,280]", StringComparison.Ordinal));
        Assert.Contains("the data_offsets [240,280] of tensor 'y' lie outside the 272-byte data section", ReadError(bytes));
    }

    [Fact]
    public void NegativeOffset_IsRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("[240,272]", "[-8,24]", StringComparison.Ordinal));
        Assert.Contains("the data_offsets begin of tensor 'y' is -8, not a non-negative integer", ReadError(bytes));
    }

    [Fact]
    public void OverlappingTensors_AreRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("[240,272]", "[232,264]", StringComparison.Ordinal));
        Assert.Contains("the tensors 'x' [168,240] and 'y' [232,264] overlap", ReadError(bytes));
    }

    [Fact]
    public void ShapeThatDisagreesWithTheByteCount_IsRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("[240,272]", "[240,264]", StringComparison.Ordinal));
        Assert.Contains("the tensor 'y' (F64, shape [1,1,2,2]) needs 32 bytes but its data_offsets [240,264] span 24", ReadError(bytes));
    }

    [Fact]
    public void HugeShape_IsRejectedWithoutOverflow()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("[1,1,2,2]", "[2147483647,2147483647,2147483647,4]", StringComparison.Ordinal));
        Assert.Contains("needs more bytes than the whole data section has", ReadError(bytes));
    }

    [Fact]
    public void IntegerDTypeForARequiredTensor_IsRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("\"dw\":{\"dtype\":\"F64\"", "\"dw\":{\"dtype\":\"I64\"", StringComparison.Ordinal));
        Assert.Contains("the tensor 'dw' has dtype I64; golden tensors must be F32 or F64", ReadError(bytes));
    }

    [Fact]
    public void TensorDTypeThatDisagreesWithTheMetadata_IsRejected()
    {
        byte[] bytes = EditedSmallCase(t => Replace(t, GoldenFormat.Dx, [1, 1, 3, 3], SafetensorsDType.F32));
        Assert.Contains("the tensor 'dx' is F32 but the metadata dtype is \"float64\"", ReadError(bytes));
    }

    [Fact]
    public void ShapesInconsistentWithEachOther_AreRejected()
    {
        byte[] bytes = EditedSmallCase(t => Replace(t, GoldenFormat.Dw, [1, 1, 2, 3]));
        Assert.Contains("the tensor 'dw' has shape [1,1,2,3] but w is [1,1,2,2], so it must be [1,1,2,2]", ReadError(bytes));
    }

    [Fact]
    public void OutputShapeInconsistentWithTheStrideInTheMetadata_IsRejected()
    {
        byte[] bytes = EditedSmallCase(editMetadata: m => m[GoldenFormat.Stride] = "2,1");
        Assert.Contains("the tensor 'y' has shape [1,1,2,2] but conv2d of x [1,1,3,3] with w [1,1,2,2], stride 2,1", ReadError(bytes));
    }

    [Fact]
    public void GroupsThatDoNotDivideTheChannels_AreRejected()
    {
        byte[] bytes = EditedSmallCase(editMetadata: m => m[GoldenFormat.Groups] = "2");
        Assert.Contains("groups 2 must divide both C_in = 1", ReadError(bytes));
    }

    [Fact]
    public void KernelLargerThanThePaddedInput_IsRejected()
    {
        byte[] bytes = EditedSmallCase(editMetadata: m => m[GoldenFormat.Dilation] = "3,1");
        Assert.Contains("the dilated kernel (4x2) is larger than the padded input (3x3)", ReadError(bytes));
    }

    [Fact]
    public void PaddingThatWouldDemandAHugeAllocation_IsRejected()
    {
        byte[] bytes = EditedSmallCase(editMetadata: m =>
        {
            m[GoldenFormat.Padding] = "65536,65536,65536,65536";
            m[GoldenFormat.Stride] = "65536,65536";
        });
        Assert.Contains("the padding makes a padded input of", ReadError(bytes));
    }

    [Fact]
    public void BiasTensorInAFileWithoutBias_IsRejected()
    {
        byte[] bytes = EditedSmallCase(t => Replace(t, GoldenFormat.B, [1]));
        Assert.Contains("the metadata says bias \"false\" but the file has the tensor 'b'", ReadError(bytes));
    }

    [Fact]
    public void MissingRequiredTensor_IsNamed()
    {
        byte[] bytes = EditedSmallCase(t => t.RemoveAll(x => x.Name == GoldenFormat.Dy));
        Assert.Contains("the required tensor 'dy' is missing", ReadError(bytes));
    }

    [Fact]
    public void MissingBiasGradientWhenTheMetadataSaysBias_IsNamed()
    {
        byte[] bytes = EditedSmallCase(t => Replace(t, GoldenFormat.B, [1]), m => m[GoldenFormat.Bias] = "true");
        Assert.Contains("the required tensor 'db' is missing", ReadError(bytes));
    }

    [Fact]
    public void MissingMetadataKey_IsNamed()
    {
        byte[] bytes = EditedSmallCase(editMetadata: m => m.Remove(GoldenFormat.Stride));
        Assert.Contains("the metadata key 'stride' is missing", ReadError(bytes));
    }

    [Theory]
    [InlineData("stride", "one,1", "the metadata 'stride' is \"one,1\"; it must be 2 positive integers \"sH,sW\"")]
    [InlineData("stride", "1", "the metadata 'stride' is \"1\"; it must be 2 positive integers")]
    [InlineData("stride", "0,1", "the metadata 'stride' is \"0,1\"; it must be 2 positive integers")]
    [InlineData("padding", "0,0,-1,0", "the metadata 'padding' is \"0,0,-1,0\"; it must be 4 non-negative integers \"top,bottom,left,right\"")]
    [InlineData("dilation", "1.5,1", "the metadata 'dilation' is \"1.5,1\"; it must be 2 positive integers \"dH,dW\"")]
    [InlineData("groups", "1e3", "the metadata 'groups' is \"1e3\"; it must be a positive integer \"G\"")]
    [InlineData("stride", "99999999999,1", "the metadata 'stride' is \"99999999999,1\"")]
    [InlineData("bias", "yes", "the metadata 'bias' is \"yes\"; it must be \"true\" or \"false\"")]
    [InlineData("dtype", "float16", "the metadata 'dtype' is \"float16\"; it must be \"float32\" or \"float64\"")]
    [InlineData("op", "conv4d", "the metadata 'op' is \"conv4d\"; it must be one of conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d")]
    public void BadMetadataValue_IsNamedWithTheRule(string key, string value, string expected)
    {
        byte[] bytes = EditedSmallCase(editMetadata: m => m[key] = value);
        Assert.Contains(expected, ReadError(bytes));
    }

    [Fact]
    public void NonStringMetadataValue_IsRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("\"groups\":\"1\"", "\"groups\":1", StringComparison.Ordinal));
        Assert.Contains("the metadata value of 'groups' is a JSON number; safetensors metadata values must be strings", ReadError(bytes));
    }

    [Fact]
    public void DuplicateTensorName_IsRejected()
    {
        byte[] bytes = EditHeader(EditedSmallCase(), h => h.Replace("\"dx\":{", "\"dw\":{", StringComparison.Ordinal));
        Assert.Contains("the header names the tensor 'dw' twice", ReadError(bytes));
    }

    [Fact]
    public void ExtraTensorsAndMetadata_AreIgnored()
    {
        byte[] bytes = EditedSmallCase(
            t => t.Add(new SafetensorsTensor("notes", SafetensorsDType.F32, [2], [1, 2])),
            m => m["producer"] = "someone");
        var golden = GoldenCaseReader.FromFile(SafetensorsFile.Parse(bytes, "extra.safetensors"));
        Assert.Equal([1, 1, 2, 2], golden.Dw.Shape);
    }

    [Fact]
    public void MissingFile_IsOneSentenceNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "convcompare-no-such-file.safetensors");
        var error = Assert.Throws<GoldenFileException>(() => GoldenCaseReader.Read(path));
        Assert.StartsWith(path + ": the file cannot be read", error.Message, StringComparison.Ordinal);
    }
}
