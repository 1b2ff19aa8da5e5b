using ConvCompare.Cases;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.Family;

/// <summary>
/// A bug a family implementation is likely to have, planted in an engine: for the cases it
/// <see cref="Applies"/> to, one tensor (<see cref="Kind"/>) is what the wrong computation gives, the rest as
/// the engine computes them.
/// </summary>
/// <param name="Name">What is wrong.</param>
/// <param name="Kind">The tensor it spoils.</param>
/// <param name="Applies">The cases it shows in.</param>
/// <param name="Wrong">The wrong tensor, from the engine, the case and its inputs.</param>
internal sealed record FamilyBug(string Name, TensorKind Kind, Func<CaseConfig, bool> Applies, Func<ILayerEngine, CaseConfig, CaseInputs, CaseDtype, Tensor<double>> Wrong)
{
    public override string ToString() => Name;

    /// <summary>The bugs, by name.</summary>
    public static IReadOnlyDictionary<string, FamilyBug> All { get; } = new[]
    {
        new FamilyBug("output_padding ignored in dJ/dw of the transposed convolution", TensorKind.Dw,
            c => c.Op.Transposed() && c.Axes.Any(a => a.OutputPadding > 0),
            (engine, c, x, dtype) =>
            {
                var cut = c with
                {
                    Family = c.Family! with { OutputPaddingD = 0, OutputPaddingH = 0, OutputPaddingW = 0 },
                };
                return engine.Compute(cut, x with { Upstream = Leading(x.Upstream, cut.OutputShape) }, dtype).Dw;
            }),
        new FamilyBug("reflect border not folded back onto the input", TensorKind.Dx,
            c => c.PaddingMode == CasePaddingMode.Reflect && Padded(c),
            (engine, c, x, dtype) => engine.Compute(c with { Family = c.Family! with { Mode = CasePaddingMode.Zeros } }, x, dtype).InputGradient),
        new FamilyBug("replicate border not folded back onto the edge", TensorKind.Dx,
            c => c.PaddingMode == CasePaddingMode.Replicate && Padded(c),
            (engine, c, x, dtype) => engine.Compute(c with { Family = c.Family! with { Mode = CasePaddingMode.Zeros } }, x, dtype).InputGradient),
        new FamilyBug("circular border folded onto its own edge instead of wrapped", TensorKind.Dx,
            c => c.PaddingMode == CasePaddingMode.Circular && Padded(c),
            (engine, c, x, dtype) => engine.Compute(c with { Family = c.Family! with { Mode = CasePaddingMode.Replicate } }, x, dtype).InputGradient),
        new FamilyBug("conv3d dJ/dw with its kernel-depth slices in reverse order", TensorKind.Dw,
            c => c.Op == CaseOp.Conv3d && c.Family!.KD > 1,
            (engine, c, x, dtype) => ReverseDepth(engine.Compute(c, x, dtype).Dw)),
    }.ToDictionary(b => b.Name);

    private static bool Padded(CaseConfig c) => c.Axes.Any(a => a.PadBefore + a.PadAfter > 0);

    /// <summary>The leading block of <paramref name="t"/> of <paramref name="shape"/>: the last entries of each axis cut off.</summary>
    private static Tensor<double> Leading(Tensor<double> t, int[] shape)
    {
        var cut = Tensor<double>.Zeros(shape);
        var index = new int[shape.Length];
        for (int flat = 0; flat < cut.Length; flat++)
        {
            int rest = flat, source = 0;
            for (int i = shape.Length - 1; i >= 0; i--)
            {
                index[i] = rest % shape[i];
                rest /= shape[i];
            }
            for (int i = 0; i < shape.Length; i++)
                source = source * t.Shape[i] + index[i];
            cut.Data[flat] = t.Data[source];
        }
        return cut;
    }

    /// <summary>dJ/dw (C x C' x kD x kH x kW) with the kD slices in reverse order.</summary>
    private static Tensor<double> ReverseDepth(Tensor<double> dw)
    {
        int kd = dw.Shape[2], slice = dw.Shape[3] * dw.Shape[4];
        var reversed = dw.Clone();
        for (int pair = 0; pair < dw.Shape[0] * dw.Shape[1]; pair++)
            for (int d = 0; d < kd; d++)
                Array.Copy(dw.Data, (pair * kd + d) * slice, reversed.Data, (pair * kd + kd - 1 - d) * slice, slice);
        return reversed;
    }
}

/// <summary>An engine with a <see cref="FamilyBug"/> planted: the bug's tensor replaced where the bug applies.</summary>
internal sealed class FamilyBugEngine(ILayerEngine inner, FamilyBug bug) : ILayerEngine
{
    public string Name => inner.Name;

    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        var outputs = inner.Compute(config, inputs, dtype);
        return bug.Applies(config) ? outputs.With(bug.Kind, bug.Wrong(inner, config, inputs, dtype)) : outputs;
    }
}
