using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// The comparison with TorchSharp's double backward (the harness's oracle, float64) under the harness's bounds catches an
/// error in each term: every planted run is ConvRef's own with one gradient computed the wrong way (a term left out, the
/// wrong factor, the first-order quantity in place of the second-order one, a 1e-6 relative change of one entry), and the
/// comparison names that gradient alone while the correct run passes.
/// </summary>
public class SecondOrderPlantedErrorTests
{
    /// <summary>conv2d with stride, padding, dilation, two groups, bias, sigmoid (or tanh) below and clipping, so that every term is present.</summary>
    private static readonly Lazy<CaseConfig> Sigmoid = new(() => Case("sigmoid"));

    private static readonly Lazy<CaseConfig> Tanh = new(() => Case("tanh"));

    [Fact]
    public void DeltaWithoutTheWeightGradientsTerm_IsCaught()
    {
        var c = Sigmoid.Value;
        var x = CaseInputs.Create(c);
        var onlyFirstTerm = Convolution.Conv2d.Forward(ScaledByDerivative(c, x), x.Weights, x.SecondOrder!.Bias, Spec(c));
        AssertCaught(c, TensorKind.D2dy, (_, _) => onlyFirstTerm);
    }

    [Fact]
    public void DeltaWithoutTheBiasGradientsTerm_IsCaught()
    {
        var c = Sigmoid.Value;
        var ggB = CaseInputs.Create(c).SecondOrder!.Bias!.Data;
        int channels = c.OutputShape[1], positions = c.OutputShape[2] * c.OutputShape[3];
        AssertCaught(c, TensorKind.D2dy, (run, _) => new Tensor<double>(c.OutputShape, [.. run.Delta.Data.Select((v, i) => v - ggB[i / positions % channels])]));
    }

    [Fact]
    public void WeightsFromTheInputInsteadOfTheUpstreamGradient_IsCaught() =>
        AssertCaught(Sigmoid.Value, TensorKind.D2w, (_, x) => FirstOrder(Sigmoid.Value, x, x.Weights).Weights);

    [Fact]
    public void InputFromTheWeightsInsteadOfTheUpstreamGradient_IsCaught() =>
        AssertCaught(Sigmoid.Value, TensorKind.D2x, (_, x) => FirstOrder(Sigmoid.Value, x, x.Weights).Input);

    [Fact]
    public void InputWithoutRot180OfTheUpstreamGradient_IsCaught()
    {
        var c = Sigmoid.Value;
        AssertCaught(c, TensorKind.D2x, (_, x) =>
        {
            var mask = Mask(c, x);
            return FirstOrder(c, x, Flip(new Tensor<double>(c.WeightShape, [.. x.SecondOrder!.Weights.Data.Select((v, i) => v * mask[i])]))).Input;
        });
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void PreviousZWithTheFirstDerivativeInsteadOfTheSecond_IsCaught(string activation)
    {
        var c = activation == "tanh" ? Tanh.Value : Sigmoid.Value;
        AssertCaught(c, TensorKind.D2z, (_, x) =>
        {
            var dA = FirstOrder(c, x, x.Weights).Input.Data;
            return new Tensor<double>(c.InputShape, [.. dA.Select((d, i) => x.SecondOrder!.Input.Data[i] * d * c.ConvRefActivation.Derivative(x.PreviousZ!.Data[i]))]);
        });
    }

    [Fact]
    public void UpstreamInputGradientNotMultipliedByTheDerivative_IsCaught()
    {
        var c = Sigmoid.Value;
        Conv2dSecondOrderGradients<double> Wrong(CaseInputs x) => Convolution.Conv2d.DoubleBackward(x.Input, x.Weights, x.Upstream, Upstream(x), Spec(c),
            new BackwardOptions<double> { ClipValue = c.Clip });
        AssertCaught(c, TensorKind.D2dy, (_, x) => Wrong(x).Delta);
        AssertCaught(c, TensorKind.D2w, (_, x) => Wrong(x).Weights);
    }

    [Fact]
    public void ClampIgnored_IsCaught()
    {
        var c = Sigmoid.Value;
        Assert.Contains(0.0, Mask(c, CaseInputs.Create(c)));
        Conv2dSecondOrderGradients<double> Wrong(CaseInputs x) => Convolution.Conv2d.DoubleBackward(x.Input, x.Weights, x.Upstream, Upstream(x), Spec(c),
            new BackwardOptions<double> { PreviousActivation = c.ConvRefActivation, PreviousZ = x.PreviousZ });
        AssertCaught(c, TensorKind.D2x, (_, x) => Wrong(x).Input);
        AssertCaught(c, TensorKind.D2dy, (_, x) => Wrong(x).Delta);
    }

    [Theory]
    [InlineData("d2dy")]
    [InlineData("d2w")]
    [InlineData("d2x")]
    [InlineData("d2z")]
    public void OneEntryOffByOneMillionth_IsCaught(string tensor)
    {
        var kind = TensorKinds.Reported.Single(k => k.Name() == tensor);
        AssertCaught(Sigmoid.Value, kind, (run, _) => Planted(new CaseOutputs(run.Input, run.Input, run.Weights, null) { SecondOrder = run }[kind]!));
    }

    /// <summary>The entry of largest magnitude times 1 + 1e-6.</summary>
    internal static Tensor<double> Planted(Tensor<double> values)
    {
        var result = values.Clone();
        int at = Array.IndexOf(values.Data, values.Data.MaxBy(Math.Abs));
        result.Data[at] *= 1 + 1e-6;
        return result;
    }

    private static CaseConfig Case(string activation)
    {
        Assert.True(CaseId.TryParse($"n2c4h6w5-o4k3x2-s2x1-p1,0,0,2-d1x2-g2-f64-{activation}-order2-v21", out var c, out string error), error);
        return SecondOrderSides.WithClipInAGap(c);
    }

    /// <summary>
    /// Asserts ConvRef's float64 double backward agrees with autograd's within the float64 bounds, and that with <paramref name="kind"/>
    /// replaced by what <paramref name="plant"/> computes (from ConvRef's run and the case's values) exactly that tensor fails.
    /// </summary>
    private static void AssertCaught(CaseConfig c, TensorKind kind, Func<SecondOrderOutputs, CaseInputs, Tensor<double>> plant)
    {
        var x = CaseInputs.Create(c);
        var expected = SecondOrderSides.Torch(c, x);
        var run = SecondOrderSides.ConvRef(c, x, Conv2dAlgorithm.Vectorized, CaseDtype.F64);
        Assert.Empty(SecondOrderSides.Violations(c, x, expected, run, Arithmetic.Float64, Arithmetic.Float64));
        var violations = SecondOrderSides.Violations(c, x, expected, run.With(kind, plant(run.SecondOrder!, x)), Arithmetic.Float64, Arithmetic.Float64);
        Assert.Equal([kind.Name()], violations.Select(v => v[..v.IndexOf(':', StringComparison.Ordinal)]));
    }

    private static ConvSpec Spec(CaseConfig c) => TorchConvolutions.FamilySpec(c.Spec);

    private static Conv2dGradients<double> Upstream(CaseInputs x) => new(x.SecondOrder!.Input, x.SecondOrder.Weights, x.SecondOrder.Bias);

    /// <summary>ConvRef's first-order backward with <paramref name="weights"/> as the kernel, without activation or clipping.</summary>
    private static Conv2dGradients<double> FirstOrder(CaseConfig c, CaseInputs x, Tensor<double> weights) =>
        Convolution.Conv2d.Backward(x.Input, weights, false, x.Upstream, Spec(c));

    private static Tensor<double> ScaledByDerivative(CaseConfig c, CaseInputs x) =>
        new(c.InputShape, [.. x.SecondOrder!.Input.Data.Select((v, i) => v * c.ConvRefActivation.Derivative(x.PreviousZ!.Data[i]))]);

    /// <summary>1 where the clamp passes dJ/dw (first-order, unclipped), 0 where it stops it.</summary>
    private static double[] Mask(CaseConfig c, CaseInputs x) => [.. FirstOrder(c, x, x.Weights).Weights.Data.Select(v => Math.Abs(v) <= c.Clip ? 1.0 : 0.0)];

    private static Tensor<double> Flip(Tensor<double> w)
    {
        int kh = w.Shape[2], kw = w.Shape[3];
        var flipped = Tensor<double>.Zeros([.. w.Shape]);
        for (int k = 0; k < w.Shape[0]; k++)
            for (int ch = 0; ch < w.Shape[1]; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        flipped[k, ch, i, j] = w[k, ch, kh - 1 - i, kw - 1 - j];
        return flipped;
    }
}
