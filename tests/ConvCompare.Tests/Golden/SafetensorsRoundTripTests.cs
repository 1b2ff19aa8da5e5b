using ConvCompare.Cases;
using ConvCompare.Golden;
using ConvCompare.Golden.Safetensors;
using static ConvCompare.Tests.Golden.GoldenTestFiles;

namespace ConvCompare.Tests.Golden;

public class SafetensorsRoundTripTests
{
    [Theory]
    [InlineData("seed_eq1_single_channel")]
    [InlineData("pad_asymmetric")]
    [InlineData("f32_resnet_block")]
    public void SharedSample_WrittenBackAndReadAgain_KeepsEveryBitAndKey(string name)
    {
        var golden = GoldenCaseReader.Read(Sample(name));
        var again = GoldenCaseReader.FromFile(SafetensorsFile.Parse(GoldenCaseWriter.Serialize(golden), name));

        Assert.Equal(golden.Dtype, again.Dtype);
        Assert.Equal(golden.Spec, again.Spec);
        Assert.Equal(golden.Source, again.Source);
        foreach (var kind in TensorKinds.All)
        {
            var expected = golden.Expected[kind];
            var actual = again.Expected[kind];
            Assert.Equal(expected?.Shape, actual?.Shape);
            Assert.True(expected?.Data.AsSpan().SequenceEqual(actual!.Data) ?? actual is null, kind.Name());
        }
        Assert.Equal(golden.X.Data, again.X.Data);
    }

    [Fact]
    public void WrittenFile_StartsItsDataAtAMultipleOfEight()
    {
        byte[] bytes = SafetensorsWriter.Serialize(
            [new SafetensorsTensor("t", SafetensorsDType.F32, [3], [1, 2, 3])], new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(0UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8);
        var file = SafetensorsFile.Parse(bytes, "t.safetensors");
        Assert.Equal([1.0, 2.0, 3.0], file.ReadDoubles("t"));
        Assert.Equal("v", file.Metadata["k"]);
    }
}
