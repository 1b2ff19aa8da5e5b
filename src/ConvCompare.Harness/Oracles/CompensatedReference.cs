using ConvCompare.Cases;
using ConvCompare.Numerics;
using ConvRef;

namespace ConvCompare.Oracles;

/// <summary>
/// The arbiter: each tensor computed straight from the definition of a 2-D convolution,
/// y[n,o,i,j] = b[o] + sum_(c in group(o), p, q) a[n, c, i*sH + p*dH - top, j*sW + q*dW - left] * w[o, c, p, q]
/// (out-of-range input positions are padding zeros), and its partial derivatives read off that one
/// formula, not from ConvRef's Eq 3-9 (no Rot180, no interleaving, no full convolution), so it shares
/// no code and no reformulation with either side. Every sum is accumulated with Dot2
/// (<see cref="CompensatedDot"/>) in float64, as accurate as twice the working precision: its error is
/// (u + gamma_K^2) * magnitude, far below either float64 implementation's gamma_K * magnitude.
/// </summary>
internal static class CompensatedReference
{
    /// <summary>The tensor <paramref name="kind"/> of the case (clamped dJ/dw when it clips, delta^(l-1) with an activation; a second-order tensor from <see cref="DoubleBackwardReference"/>).</summary>
    public static Tensor<double> Compute(CaseConfig config, CaseInputs inputs, TensorKind kind)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        if (kind.IsSecondOrder())
            return DoubleBackwardReference.Compute(config, inputs, kind);
        if (config.Family is not null)
            return FamilySums.Compensated(config, inputs, kind);
        return kind switch
        {
            TensorKind.Y => Output(config, inputs),
            TensorKind.Dx => InputGradient(config, inputs),
            TensorKind.Dw => WeightGradient(config, inputs),
            _ => BiasGradient(config, inputs),
        };
    }

    private static Tensor<double> Output(CaseConfig c, CaseInputs x) => Forward(c, x.Bias, (x.Input, x.Weights));

    /// <summary>
    /// Eq 1 summed as one compensated dot product per output element: the bias, then at every tap the
    /// products of each (input, weights) pair in turn. One pair is the forward pass; the double
    /// backward's dL/ddelta is two, (gg_a .* g', w) and (a, gg_w), in a single sum rounded once.
    /// </summary>
    internal static Tensor<double> Forward(CaseConfig c, Tensor<double>? bias, params (Tensor<double> Input, Tensor<double> Weights)[] pairs)
    {
        var y = Tensor<double>.Zeros(c.OutputShape);
        var g = c.Geometry;
        int inPerGroup = c.Shape.Cin / g.Groups, outPerGroup = c.Shape.Cout / g.Groups;
        for (int n = 0; n < c.Shape.N; n++)
            for (int o = 0; o < c.Shape.Cout; o++)
                for (int i = 0; i < c.OutH; i++)
                    for (int j = 0; j < c.OutW; j++)
                    {
                        var acc = new CompensatedDot();
                        if (bias is not null)
                            acc.Add(bias.Data[o]);
                        for (int k = 0; k < inPerGroup; k++)
                        {
                            int channel = o / outPerGroup * inPerGroup + k;
                            for (int p = 0; p < c.Shape.KH; p++)
                            {
                                int row = i * g.StrideH + p * g.DilationH - g.PadTop;
                                if (row < 0 || row >= c.Shape.H)
                                    continue;
                                for (int q = 0; q < c.Shape.KW; q++)
                                {
                                    int col = j * g.StrideW + q * g.DilationW - g.PadLeft;
                                    if (col < 0 || col >= c.Shape.W)
                                        continue;
                                    foreach (var (input, weights) in pairs)
                                        acc.AddProduct(input[n, channel, row, col], weights[o, k, p, q]);
                                }
                            }
                        }
                        y[n, o, i, j] = acc.Value;
                    }
        return y;
    }

    /// <summary>dJ/da[n,c,r,s] = sum of dy[n,o,i,j] * w[o,c,p,q] over the (o,p,q,i,j) whose tap reads a[n,c,r,s]: r = i*sH + p*dH - top, s = j*sW + q*dW - left.</summary>
    private static Tensor<double> InputGradient(CaseConfig c, CaseInputs x) => InputGradient(c, x.Upstream, x.Weights, x.PreviousZ);

    /// <summary>
    /// delta (x)_f Rot180(w), times g'(z^(l-1)) when z^(l-1) is given (Eq 5, 8 and 6), as compensated sums; the
    /// double backward's dL/da is the same sum with gg_w as the kernel and no z.
    /// </summary>
    internal static Tensor<double> InputGradient(CaseConfig c, Tensor<double> delta, Tensor<double> weights, Tensor<double>? previousZ)
    {
        var dx = Tensor<double>.Zeros(c.InputShape);
        int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
        for (int n = 0; n < c.Shape.N; n++)
            for (int channel = 0; channel < c.Shape.Cin; channel++)
            {
                int group = channel / inPerGroup, k = channel % inPerGroup;
                for (int r = 0; r < c.Shape.H; r++)
                    for (int s = 0; s < c.Shape.W; s++)
                    {
                        var acc = new CompensatedDot();
                        for (int o = group * outPerGroup; o < (group + 1) * outPerGroup; o++)
                            for (int p = 0; p < c.Shape.KH; p++)
                            {
                                int rowOffset = r + c.Geometry.PadTop - p * c.Geometry.DilationH;
                                if (rowOffset < 0 || rowOffset % c.Geometry.StrideH != 0 || rowOffset / c.Geometry.StrideH >= c.OutH)
                                    continue;
                                for (int q = 0; q < c.Shape.KW; q++)
                                {
                                    int colOffset = s + c.Geometry.PadLeft - q * c.Geometry.DilationW;
                                    if (colOffset < 0 || colOffset % c.Geometry.StrideW != 0 || colOffset / c.Geometry.StrideW >= c.OutW)
                                        continue;
                                    acc.AddProduct(delta[n, o, rowOffset / c.Geometry.StrideH, colOffset / c.Geometry.StrideW], weights[o, k, p, q]);
                                }
                            }
                        double value = acc.Value;
                        if (previousZ is { } z)
                            value *= ActivationDefinition.Derivative(c.Activation, z[n, channel, r, s]);
                        dx[n, channel, r, s] = value;
                    }
            }
        return dx;
    }

    /// <summary>dJ/dw[o,k,p,q] = sum over n, i, j of dy[n,o,i,j] * a[n, channel, i*sH + p*dH - top, j*sW + q*dW - left].</summary>
    private static Tensor<double> WeightGradient(CaseConfig c, CaseInputs x)
    {
        var dw = Tensor<double>.Zeros(c.WeightShape);
        int inPerGroup = c.Shape.Cin / c.Geometry.Groups, outPerGroup = c.Shape.Cout / c.Geometry.Groups;
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
                                int row = i * c.Geometry.StrideH + p * c.Geometry.DilationH - c.Geometry.PadTop;
                                if (row < 0 || row >= c.Shape.H)
                                    continue;
                                for (int j = 0; j < c.OutW; j++)
                                {
                                    int col = j * c.Geometry.StrideW + q * c.Geometry.DilationW - c.Geometry.PadLeft;
                                    if (col >= 0 && col < c.Shape.W)
                                        acc.AddProduct(x.Upstream[n, o, i, j], x.Input[n, channel, row, col]);
                                }
                            }
                        double value = acc.Value;
                        if (c.Clip is { } clip)
                            value = Math.Clamp(value, -clip, clip);
                        dw[o, k, p, q] = value;
                    }
            }
        return dw;
    }

    /// <summary>dJ/db[o] = sum over n, i, j of dy[n,o,i,j].</summary>
    private static Tensor<double> BiasGradient(CaseConfig c, CaseInputs x)
    {
        var db = Tensor<double>.Zeros(c.Shape.Cout);
        for (int o = 0; o < c.Shape.Cout; o++)
        {
            var acc = new CompensatedDot();
            for (int n = 0; n < c.Shape.N; n++)
                for (int i = 0; i < c.OutH; i++)
                    for (int j = 0; j < c.OutW; j++)
                        acc.Add(x.Upstream[n, o, i, j]);
            db.Data[o] = acc.Value;
        }
        return db;
    }
}
