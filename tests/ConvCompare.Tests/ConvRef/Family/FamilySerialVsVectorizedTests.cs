using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The serial and the vectorized algorithm agree within the harness's rounding bound on every operation
/// and padding mode, in both precisions; the vectorized one is bitwise reproducible and does not depend on
/// its thread count.
/// </summary>
public class FamilySerialVsVectorizedTests
{
    public static TheoryData<string> Cases() => FamilyCases.Drawn(seed: 101, perMode: 3, perTransposed: 6);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DrawnCase_VectorizedMatchesSerial(string id)
    {
        var config = FamilyCases.Parse(id);
        AssertAgree(id, config, CaseDtype.F32);
        AssertAgree(id, config, CaseDtype.F64);
    }

    /// <summary>
    /// Shapes past the 2-D engine's blocking (many depth slices as channels, several row chunks, strided
    /// col2im for the transposed forward, many samples from the output depths). Columns: operation, N,
    /// C_in, D, H, W (the spatial sizes the rank takes), C_out, kernel size and stride on every axis; two
    /// groups, padding 1 before and 0 after each axis, bias.
    /// </summary>
    [Theory]
    [InlineData("conv3d", 2, 6, 9, 12, 13, 8, 3, 1)]
    [InlineData("conv3d", 1, 4, 7, 20, 21, 6, 3, 2)]
    [InlineData("conv_transpose3d", 2, 8, 4, 9, 10, 6, 3, 2)]
    [InlineData("conv_transpose2d", 2, 16, 1, 24, 25, 8, 3, 2)]
    [InlineData("conv_transpose2d", 1, 12, 1, 30, 31, 10, 3, 1)]
    [InlineData("conv1d", 3, 16, 1, 1, 700, 12, 5, 2)]
    [InlineData("conv_transpose1d", 3, 16, 1, 1, 600, 12, 5, 3)]
    public void LargerShapes_VectorizedMatchesSerial(string op, int n, int inChannels, int depth, int height, int width, int outChannels, int k, int stride)
    {
        var operation = CaseOps.Parse(op)!.Value.Convolution();
        int[] size = operation.Rank switch { 1 => [width], 2 => [height, width], _ => [depth, height, width] };
        int[] kernel = [.. Enumerable.Repeat(k, operation.Rank)];
        var spec = new ConvSpec { Stride = [stride], Padding = ConvPadding.PerSide([.. Enumerable.Repeat(1, operation.Rank)], [.. Enumerable.Repeat(0, operation.Rank)]), Groups = 2 };
        int[] weights = operation.Transposed ? [inChannels, outChannels / 2, .. kernel] : [outChannels, inChannels / 2, .. kernel];
        var config = FamilyCaseOf.Spec(operation, spec, [n, inChannels, .. size], weights, bias: true, CaseDtype.F32,
            ActivationKind.Identity, clip: null, valueSeed: (ulong)(n * 1000 + width));
        Assert.Null(config.Problem);
        AssertAgree(CaseId.Format(config), config, CaseDtype.F32);
    }

    [Fact]
    public void Vectorized_IsBitwiseReproducibleAndIndependentOfThreads()
    {
        var config = FamilyCases.Drawn(CaseOp.ConvTranspose3d, seed: 7, ordinal: 1);
        var inputs = CaseInputs.Create(config);
        var one = new ConvRefEngine(Conv2dAlgorithm.Vectorized, threads: 1).Compute(config, inputs, CaseDtype.F32);
        var all = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F32);
        var again = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F32);
        foreach (var kind in TensorKinds.All)
        {
            Assert.Equal(one[kind]?.Data, all[kind]?.Data);
            Assert.Equal(all[kind]?.Data, again[kind]?.Data);
        }
    }

    /// <summary>Serial and vectorized in <paramref name="dtype"/> on the case's values, within the bound between two computations in that arithmetic.</summary>
    private static void AssertAgree(string id, CaseConfig config, CaseDtype dtype)
    {
        var inputs = CaseInputs.Create(config);
        var arithmetic = Arithmetic.For(dtype);
        AgreementTolerances.AssertOutputsAgree($"{id} {dtype}", config, inputs,
            new ConvRefEngine(Conv2dAlgorithm.Serial).Compute(config, inputs, dtype), arithmetic,
            new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, dtype), arithmetic);
    }
}
