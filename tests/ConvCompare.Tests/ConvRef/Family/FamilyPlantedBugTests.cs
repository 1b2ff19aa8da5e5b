using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Runner;
using ConvCompare.Tests.ConvRef.Support;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The comparison the agreement tests make (ConvRef against the oracle in float64 within the harness's
/// rounding bound) catches the bugs a family implementation is likely to have: each planted one is a
/// ConvRef run with one output computed the wrong way, and the comparison names that output while the
/// correct run passes.
/// </summary>
public class FamilyPlantedBugTests
{
    /// <summary>
    /// dJ/dw of a transposed convolution computed as if output_padding were 0 (δ cut to the smaller
    /// output): with padding at least the output padding, the cut entries are reached by x and matter.
    /// </summary>
    [Fact]
    public void TransposedWeightGradientIgnoringOutputPadding_IsCaught()
    {
        var (config, inputs, op, spec) = Case(Convolution.ConvTranspose2d, new ConvSpec { Stride = [2], Padding = ConvPadding.Of(2), OutputPadding = [1] },
            [1, 3, 4, 4], [3, 3, 3, 3], bias: true, seed: 3);
        var withoutOutputPadding = spec with { OutputPadding = [0] };
        var cut = Cut(inputs.Upstream, op.Geometry(config.InputShape, config.WeightShape, withoutOutputPadding).OutputShape);
        var wrong = op.Backward(inputs.Input, inputs.Weights, true, cut, withoutOutputPadding).Weights;
        AssertCaught(config, inputs, TensorKind.Dw, wrong);
    }

    /// <summary>A reflect-padded convolution whose border gradient is dropped instead of folded back (the zero-padding dJ/da).</summary>
    [Theory]
    [InlineData("conv1d")]
    [InlineData("conv2d")]
    [InlineData("conv3d")]
    public void ReflectBorderNotFoldedBack_IsCaught(string name)
    {
        var (config, inputs, op, spec) = PaddedCase(CaseOps.Parse(name)!.Value.Convolution(), PaddingMode.Reflect);
        var wrong = op.Backward(inputs.Input, inputs.Weights, false, inputs.Upstream, spec with { PaddingMode = PaddingMode.Zeros }).Input;
        AssertCaught(config, inputs, TensorKind.Dx, wrong);
    }

    /// <summary>A circular border folded onto its own edge as replicate does, instead of wrapped onto the opposite end.</summary>
    [Fact]
    public void CircularBorderFoldedOntoTheWrongEnd_IsCaught()
    {
        var (config, inputs, op, spec) = PaddedCase(Convolution.Conv2d, PaddingMode.Circular);
        var wrong = op.Backward(inputs.Input, inputs.Weights, false, inputs.Upstream, spec with { PaddingMode = PaddingMode.Replicate }).Input;
        AssertCaught(config, inputs, TensorKind.Dx, wrong);
    }

    /// <summary>A transposed convolution whose full convolution forgets Rot180 (it correlates with w instead).</summary>
    [Fact]
    public void TransposedForwardWithoutRot180_IsCaught()
    {
        var (config, inputs, op, spec) = Case(Convolution.ConvTranspose2d, new ConvSpec { Stride = [2, 1], Padding = ConvPadding.Of(1) },
            [2, 2, 4, 5], [2, 3, 3, 2], bias: false, seed: 5);
        var wrong = op.Forward(inputs.Input, Flip(inputs.Weights), null, spec);
        AssertCaught(config, inputs, TensorKind.Y, wrong);
    }

    /// <summary>A 3-D weight gradient whose kernel-depth slices land in the wrong order.</summary>
    [Fact]
    public void Conv3dWeightGradientWithDepthSlicesSwapped_IsCaught()
    {
        var (config, inputs, _, _) = Case(Convolution.Conv3d, new ConvSpec { Stride = [2, 1, 1], Padding = ConvPadding.Of(1, 0, 1) },
            [1, 2, 5, 4, 4], [3, 2, 2, 3, 2], bias: true, seed: 6);
        var right = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64).Dw;
        int slices = 3 * 2, perFilterChannel = right.Length / slices;
        var swapped = new double[right.Length];
        for (int fc = 0; fc < slices; fc++)
            for (int i = 0; i < perFilterChannel; i++)
                swapped[fc * perFilterChannel + i] = right.Data[fc * perFilterChannel + (i + perFilterChannel / 2) % perFilterChannel];
        AssertCaught(config, inputs, TensorKind.Dw, new Tensor<double>([.. right.Shape], swapped));
    }

    /// <summary>The right run agrees with the oracle; the same run with <paramref name="kind"/> replaced by <paramref name="wrong"/> fails at that output.</summary>
    private static void AssertCaught(CaseConfig config, CaseInputs inputs, TensorKind kind, Tensor<double> wrong)
    {
        var expected = FamilyTorchAgreementTests.TorchFloat64(config, inputs);
        var run = new ConvRefEngine(Conv2dAlgorithm.Vectorized).Compute(config, inputs, CaseDtype.F64);
        AgreementTolerances.AssertOutputsAgree("right", config, inputs, expected, Arithmetic.Float64, run, Arithmetic.Float64);
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AgreementTolerances.AssertOutputsAgree("planted", config, inputs, expected, Arithmetic.Float64, run.With(kind, wrong), Arithmetic.Float64));
        Assert.StartsWith($"planted {kind.Name()}[", failure.Message);
    }

    /// <summary>A layer written as ConvRef spells it, as a float64 case with its values, and the operation and spec the case runs.</summary>
    private static (CaseConfig Config, CaseInputs Inputs, Convolution Op, ConvSpec Spec) Case(Convolution op, ConvSpec spec, int[] input, int[] weights, bool bias, ulong seed)
    {
        var config = FamilyCaseOf.Spec(op, spec, input, weights, bias, CaseDtype.F64, ActivationKind.Identity, clip: null, seed);
        Assert.Null(config.Problem);
        Assert.NotNull(config.Family);
        return (config, CaseInputs.Create(config), config.Op.Convolution(), config.Family!.Spec(config.Geometry));
    }

    private static (CaseConfig Config, CaseInputs Inputs, Convolution Op, ConvSpec Spec) PaddedCase(Convolution op, PaddingMode mode)
    {
        int[] size = [.. Enumerable.Repeat(4, op.Rank)], kernel = [.. Enumerable.Repeat(3, op.Rank)];
        var spec = new ConvSpec { Padding = ConvPadding.PerSide([.. Enumerable.Repeat(2, op.Rank)], [.. Enumerable.Repeat(1, op.Rank)]), PaddingMode = mode };
        return Case(op, spec, [2, 2, .. size], [3, 2, .. kernel], bias: false, seed: 4);
    }

    /// <summary>The leading block of <paramref name="t"/> with <paramref name="shape"/> (the last entries of each axis cut off).</summary>
    private static Tensor<double> Cut(Tensor<double> t, int[] shape)
    {
        var cut = Tensor<double>.Zeros(shape);
        int h = shape[2], w = shape[3];
        for (int n = 0; n < shape[0]; n++)
            for (int c = 0; c < shape[1]; c++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        cut[n, c, i, j] = t[n, c, i, j];
        return cut;
    }

    /// <summary>Each 2-D kernel plane turned by 180 degrees.</summary>
    private static Tensor<double> Flip(Tensor<double> w)
    {
        var flipped = Tensor<double>.Zeros([.. w.Shape]);
        int kh = w.Shape[2], kw = w.Shape[3];
        for (int a = 0; a < w.Shape[0]; a++)
            for (int b = 0; b < w.Shape[1]; b++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        flipped[a, b, i, j] = w[a, b, kh - 1 - i, kw - 1 - j];
        return flipped;
    }
}
