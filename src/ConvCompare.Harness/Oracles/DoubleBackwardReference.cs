using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvRef;

namespace ConvCompare.Oracles;

/// <summary>
/// The arbiter at second order: the double backward read off the definition of a 2-D convolution, as
/// <see cref="CompensatedReference"/> reads the first-order gradients off it, every sum accumulated with
/// Dot2 (<see cref="CompensatedDot"/>) in float64. The backward pass maps (a, w, dy) to dJ/da .* g'(z)
/// (Eq 5/8, Eq 6), dJ/dw (Eq 3/7) and dJ/db (Eq 9); with row = i*sH + p*dH - top,
/// col = j*sW + q*dW - left and channel = group(o) * C_in/G + k, its outputs are the sums
/// dJ/da[n,channel,row,col] = g'(z) sum dy[n,o,i,j] w[o,k,p,q] and dJ/dw[o,k,p,q] = sum a[n,channel,row,col] dy[n,o,i,j].
/// L = &lt;gg_a, dJ/da&gt; + &lt;gg_w, dJ/dw&gt; + &lt;gg_b, dJ/db&gt; is then one sum of products of three factors, and
/// each gradient of L collects the terms holding its variable, with ĝ_a = gg_a .* g'(z):
/// <list type="bullet">
/// <item>dL/da[n,channel,row,col] = sum over the (o,p,q,i,j) whose tap reads that position of dy[n,o,i,j] gg_w[o,k,p,q]
/// (<see cref="TensorKind.D2x"/>: Eq 5 with gg_w as the kernel);</item>
/// <item>dL/dw[o,k,p,q] = sum_(n,i,j) ĝ_a[n,channel,row,col] dy[n,o,i,j] (<see cref="TensorKind.D2w"/>: Eq 3 with ĝ_a as the input);</item>
/// <item>dL/d(dy)[n,o,i,j] = gg_b[o] + sum_(k,p,q) (ĝ_a[n,channel,row,col] w[o,k,p,q] + a[n,channel,row,col] gg_w[o,k,p,q])
/// (<see cref="TensorKind.D2dy"/>: Eq 1 twice and Eq 9), one compensated sum of 2 (C_in/G) kH kW products and gg_b;</item>
/// <item>with an activation below, dL/dz^(l-1) = gg_a .* dJ/da .* g''(z) (<see cref="TensorKind.D2z"/>: Eq 6 differentiated in z).</item>
/// </list>
/// No Rot180, interleaving or full convolution, and no code of ConvRef or TorchSharp: g' is the harness's
/// own (<see cref="ActivationDefinition"/>). Out-of-range positions are padding zeros and add no term.
/// A case of the convolution family (<see cref="CaseConfig.Family"/>: 1-D, 3-D, transposed, every padding mode)
/// has the same three sums over its own list of products (<see cref="FamilySums.DoubleBackward"/>), where a padded
/// border that copies an input element adds every copy's term into dL/da, as into dJ/da.
/// </summary>
internal static class DoubleBackwardReference
{
    /// <summary>The second-order tensor <paramref name="kind"/> of a case of order 2.</summary>
    /// <exception cref="ArgumentException">The case is not of order 2, or <paramref name="kind"/> is not a second-order tensor.</exception>
    public static Tensor<double> Compute(CaseConfig config, CaseInputs inputs, TensorKind kind)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var gg = inputs.SecondOrder ?? throw new ArgumentException($"case {CaseId.Format(config)} is not of order 2", nameof(inputs));
        if (config.Clip is { } clip)
        {
            gg = gg with { Weights = InsideClip(config, inputs, gg.Weights, clip) };
            inputs = inputs with { SecondOrder = gg };
        }
        if (kind == TensorKind.D2z)
            return PreviousZGradient(config, inputs, gg);
        if (config.Family is not null)
            return FamilySums.DoubleBackward(config, inputs, ScaledInputGradient(config, inputs), kind);
        return kind switch
        {
            TensorKind.D2x => CompensatedReference.InputGradient(config, inputs.Upstream, gg.Weights, previousZ: null),
            TensorKind.D2w => WeightGradient(config, ScaledInputGradient(config, inputs), inputs.Upstream),
            TensorKind.D2dy => DeltaGradient(config, inputs, ScaledInputGradient(config, inputs), gg),
            _ => throw new ArgumentException($"{kind.Name()} is not a second-order tensor", nameof(kind)),
        };
    }

    /// <summary>ĝ_a = gg_a .* g'(z^(l-1)) in float64 (gg_a itself without an activation): what L's first term weighs dJ/da by.</summary>
    public static Tensor<double> ScaledInputGradient(CaseConfig config, CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var ggA = inputs.SecondOrder!.Input;
        if (inputs.PreviousZ is not { } z)
            return ggA;
        var scaled = Tensor<double>.Zeros(config.InputShape);
        for (int i = 0; i < scaled.Length; i++)
            scaled.Data[i] = ggA.Data[i] * ActivationDefinition.Derivative(config.Activation, z.Data[i]);
        return scaled;
    }

    /// <summary>
    /// dL/dz^(l-1) = gg_a .* dJ/da .* g''(z^(l-1)) (Eq 6 differentiated in z: L's first term is &lt;gg_a, dJ/da .* g'(z)&gt;, and
    /// z enters nothing else), with dJ/da the compensated reference's sum before any g' (for every operation of the family)
    /// and g'' the harness's own (<see cref="ActivationDefinition.SecondDerivative"/>).
    /// </summary>
    private static Tensor<double> PreviousZGradient(CaseConfig c, CaseInputs x, SecondOrderUpstream gg)
    {
        var z = x.PreviousZ ?? throw new ArgumentException($"case {CaseId.Format(c)} has no activation below, so no dL/dz^(l-1)", nameof(x));
        var inputGradient = CompensatedReference.Compute(c with { Activation = ActivationKind.Identity }, x with { PreviousZ = null }, TensorKind.Dx);
        var result = Tensor<double>.Zeros(c.InputShape);
        for (int i = 0; i < result.Length; i++)
            result.Data[i] = gg.Input.Data[i] * inputGradient.Data[i] * ActivationDefinition.SecondDerivative(c.Activation, z.Data[i]);
        return result;
    }

    /// <summary>
    /// gg_w where -c &lt;= dJ/dw &lt;= c, zero elsewhere: L's second term is &lt;gg_w, clamp(dJ/dw)&gt;, and the clamp's derivative is 1
    /// inside (at ±c too, as PyTorch's clamp takes it) and 0 outside, its second derivative 0. dJ/dw is the compensated
    /// reference's. The mask is decided by the sign of |dJ/dw| - c, which rounding can flip, so a second-order case clips only at a
    /// c clear of every |dJ/dw| by more than its bound plus this reference's (<see cref="ClipGap"/>, <see cref="CaseConfig.Problem"/>).
    /// </summary>
    private static Tensor<double> InsideClip(CaseConfig c, CaseInputs x, Tensor<double> ggW, double clip)
    {
        var dw = CompensatedReference.Compute(c with { Clip = null }, x, TensorKind.Dw);
        return new Tensor<double>([.. ggW.Shape], [.. ggW.Data.Select((v, i) => Math.Abs(dw.Data[i]) <= clip ? v : 0)]);
    }

    private static Tensor<double> WeightGradient(CaseConfig c, Tensor<double> scaledGgA, Tensor<double> dy)
    {
        var result = Tensor<double>.Zeros(c.WeightShape);
        var g = c.Geometry;
        int inPerGroup = c.Shape.Cin / g.Groups, outPerGroup = c.Shape.Cout / g.Groups;
        for (int o = 0; o < c.Shape.Cout; o++)
            for (int k = 0; k < inPerGroup; k++)
            {
                int channel = o / outPerGroup * inPerGroup + k;
                for (int p = 0; p < c.Shape.KH; p++)
                    for (int q = 0; q < c.Shape.KW; q++)
                    {
                        var acc = new CompensatedDot();
                        for (int n = 0; n < c.Shape.N; n++)
                            for (int i = 0; i < c.OutH; i++)
                            {
                                int row = i * g.StrideH + p * g.DilationH - g.PadTop;
                                if (row < 0 || row >= c.Shape.H)
                                    continue;
                                for (int j = 0; j < c.OutW; j++)
                                {
                                    int col = j * g.StrideW + q * g.DilationW - g.PadLeft;
                                    if (col >= 0 && col < c.Shape.W)
                                        acc.AddProduct(scaledGgA[n, channel, row, col], dy[n, o, i, j]);
                                }
                            }
                        result[o, k, p, q] = acc.Value;
                    }
            }
        return result;
    }

    private static Tensor<double> DeltaGradient(CaseConfig c, CaseInputs x, Tensor<double> scaledGgA, SecondOrderUpstream gg) =>
        CompensatedReference.Forward(c, gg.Bias, (scaledGgA, x.Weights), (x.Input, gg.Weights));
}
