using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The comparison with TorchSharp's double backward catches an error in each term: every planted run is
/// ConvRef's own with one gradient computed the wrong way (a term left out, the wrong factor, the
/// first-order quantity in place of the second-order one, a 1e-6 relative change of one entry), and the
/// comparison names the gradient while the correct run passes.
/// </summary>
public class SecondOrderPlantedErrorTests
{
    /// <summary>conv2d with stride, padding, dilation, two groups, bias, sigmoid below and clipping, so that every term is present.</summary>
    private static readonly Lazy<SecondOrderCase> Sigmoid = new(() => Case(Activation.Sigmoid));

    private static readonly Lazy<SecondOrderCase> Tanh = new(() => Case(Activation.Tanh));

    [Fact]
    public void DeltaWithoutTheWeightGradientsTerm_IsCaught()
    {
        var s = Sigmoid.Value;
        var c = s.Case;
        var ggA = ScaledByDerivative(s);
        var onlyFirstTerm = c.Op.Forward(ggA, c.WeightTensor<double>(), s.Upstream<double>().Bias, c.Spec);
        AssertCaught(s, run => run with { Delta = onlyFirstTerm.Data }, "dL/ddelta");
    }

    [Fact]
    public void DeltaWithoutTheBiasGradientsTerm_IsCaught()
    {
        var s = Sigmoid.Value;
        var shape = s.Case.OutputShape;
        int channels = shape[1], positions = shape[2] * shape[3];
        AssertCaught(s, run => run with { Delta = [.. run.Delta.Select((v, i) => v - s.GgBias![i / positions % channels])] }, "dL/ddelta");
    }

    [Fact]
    public void WeightsFromTheInputInsteadOfTheUpstreamGradient_IsCaught()
    {
        var c = Sigmoid.Value.Case;
        var firstOrder = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec).Weights;
        AssertCaught(Sigmoid.Value, run => run with { Weights = firstOrder.Data }, "dL/dw");
    }

    [Fact]
    public void InputFromTheWeightsInsteadOfTheUpstreamGradient_IsCaught()
    {
        var c = Sigmoid.Value.Case;
        var firstOrder = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec).Input;
        AssertCaught(Sigmoid.Value, run => run with { Input = firstOrder.Data }, "dL/da");
    }

    [Fact]
    public void InputWithoutRot180OfTheUpstreamGradient_IsCaught()
    {
        var s = Sigmoid.Value;
        var c = s.Case;
        var mask = Mask(s);
        var flipped = Flip(new Tensor<double>([.. c.WeightShape], [.. s.GgWeights.Select((v, i) => v * mask[i])]));
        var wrong = c.Op.Backward(c.InputTensor<double>(), flipped, false, c.DeltaTensor<double>(), c.Spec).Input;
        AssertCaught(s, run => run with { Input = wrong.Data }, "dL/da");
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void PreviousZWithTheFirstDerivativeInsteadOfTheSecond_IsCaught(string activation)
    {
        var s = activation == "tanh" ? Tanh.Value : Sigmoid.Value;
        var c = s.Case;
        var dA = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec).Input.Data;
        double[] wrong = [.. dA.Select((d, i) => s.GgInput[i] * d * c.Activation.Derivative(c.PreviousZ![i]))];
        AssertCaught(s, run => run with { PreviousZ = wrong }, "dL/dz");
    }

    [Fact]
    public void UpstreamInputGradientNotMultipliedByTheDerivative_IsCaught()
    {
        var s = Sigmoid.Value;
        var c = s.Case;
        var wrong = c.Op.DoubleBackward(c.InputTensor<double>(), c.WeightTensor<double>(), c.DeltaTensor<double>(), s.Upstream<double>(), c.Spec,
            new BackwardOptions<double> { ClipValue = c.Clip });
        AssertCaught(s, run => run with { Delta = wrong.Delta.Data }, "dL/ddelta");
        AssertCaught(s, run => run with { Weights = wrong.Weights.Data }, "dL/dw");
    }

    [Fact]
    public void ClampIgnored_IsCaught()
    {
        var s = Sigmoid.Value;
        var c = s.Case;
        Assert.Contains(0.0, Mask(s));
        var wrong = c.Op.DoubleBackward(c.InputTensor<double>(), c.WeightTensor<double>(), c.DeltaTensor<double>(), s.Upstream<double>(), c.Spec,
            c.Options<double>() with { ClipValue = null });
        AssertCaught(s, run => run with { Input = wrong.Input.Data }, "dL/da");
        AssertCaught(s, run => run with { Delta = wrong.Delta.Data }, "dL/ddelta");
    }

    [Theory]
    [InlineData("dL/ddelta")]
    [InlineData("dL/dw")]
    [InlineData("dL/da")]
    [InlineData("dL/dz")]
    public void OneEntryOffByOneMillionth_IsCaught(string quantity) =>
        AssertCaught(Sigmoid.Value, run => quantity switch
        {
            "dL/ddelta" => run with { Delta = Planted(run.Delta) },
            "dL/dw" => run with { Weights = Planted(run.Weights) },
            "dL/da" => run with { Input = Planted(run.Input) },
            _ => run with { PreviousZ = Planted(run.PreviousZ!) },
        }, quantity);

    /// <summary>The entry of largest magnitude times 1 + 1e-6.</summary>
    internal static double[] Planted(double[] values)
    {
        var result = (double[])values.Clone();
        int at = Array.IndexOf(values, values.MaxBy(Math.Abs));
        result[at] *= 1 + 1e-6;
        return result;
    }

    private static SecondOrderCase Case(Activation activation)
    {
        var spec = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.PerSide([1, 0], [0, 2]), Dilation = [1, 2], Groups = 2 };
        var c = Family.FamilyCase.Of($"conv2d {activation} clip", Convolution.Conv2d, spec, [2, 4, 6, 5], [4, 2, 3, 2], hasBias: true, seed: 21,
            activation, clip: 1);
        return SecondOrderCase.With(c, 21, null);
    }

    private static void AssertCaught(SecondOrderCase s, Func<SecondOrderRun, SecondOrderRun> plant, string quantity)
    {
        var expected = SecondOrderRun.Torch(s);
        var tolerances = SecondOrderBounds.AgainstFloat64<double>(s);
        var run = SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Vectorized);
        Assert.Null(SecondOrderRun.FirstViolation(expected, run, tolerances));
        var violation = SecondOrderRun.FirstViolation(expected, plant(run), tolerances);
        Assert.NotNull(violation);
        Assert.StartsWith(quantity + "[", violation);
    }

    private static Tensor<double> ScaledByDerivative(SecondOrderCase s) => new([.. s.Case.InputShape],
        [.. s.GgInput.Select((v, i) => v * s.Case.Activation.Derivative(s.Case.PreviousZ![i]))]);

    /// <summary>1 where the clamp passes dJ/dw (first-order, unclipped), 0 where it stops it.</summary>
    private static double[] Mask(SecondOrderCase s)
    {
        var c = s.Case;
        var dw = c.Op.Backward(c.InputTensor<double>(), c.WeightTensor<double>(), false, c.DeltaTensor<double>(), c.Spec).Weights.Data;
        return [.. dw.Select(v => Math.Abs(v) <= c.Clip ? 1.0 : 0.0)];
    }

    private static Tensor<double> Flip(Tensor<double> w)
    {
        int kh = w.Shape[2], kw = w.Shape[3];
        var flipped = Tensor<double>.Zeros([.. w.Shape]);
        for (int k = 0; k < w.Shape[0]; k++)
            for (int c = 0; c < w.Shape[1]; c++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        flipped[k, c, i, j] = w[k, c, kh - 1 - i, kw - 1 - j];
        return flipped;
    }
}
