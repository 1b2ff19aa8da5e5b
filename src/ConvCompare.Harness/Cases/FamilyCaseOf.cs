using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// A layer of the family given as ConvRef takes it (an operation, a <see cref="ConvSpec"/>, the input's and the
/// weights' shapes) turned into the harness's one case model, so that code which starts from ConvRef's
/// spelling (the tests of ConvRef's family) is judged by the same bounds and reference as the sweep.
/// </summary>
internal static class FamilyCaseOf
{
    /// <summary>The case of <paramref name="op"/> with <paramref name="spec"/> on inputs and weights of these shapes (the shapes and spec must be a valid layer).</summary>
    public static CaseConfig Spec(Convolution op, ConvSpec spec, IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape, bool bias,
        CaseDtype dtype, ActivationKind activation, double? clip, ulong valueSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        var caseOp = CaseOps.Parse(op.Name)!.Value;
        int rank = op.Rank;
        bool batched = inputShape.Count == rank + 2;
        int groups = spec.Groups;
        // Axis i of rank r sits at position i + 3 - r of (depth, height, width); absent axes keep the neutral values.
        int At(IReadOnlyList<int> values, int axis, int neutral) =>
            axis - (3 - rank) is var i && i >= 0 ? values[values.Count == 1 ? 0 : i] : neutral;
        bool isExplicit = spec.Padding.Kind == ConvPaddingKind.Explicit;
        int Before(int axis) => isExplicit ? At(spec.Padding.Before, axis, 0) : 0;
        int After(int axis) => isExplicit ? At(spec.Padding.After, axis, 0) : 0;
        int[] spatial = [.. inputShape.Skip(inputShape.Count - rank)], kernel = [.. weightShape.Skip(2)];
        var shape = new CaseShape(batched ? inputShape[0] : 1, inputShape[batched ? 1 : 0], At(spatial, 1, 1), At(spatial, 2, 1),
            op.Transposed ? weightShape[1] * groups : weightShape[0], At(kernel, 1, 1), At(kernel, 2, 1));
        var geometry = new CaseGeometry
        {
            StrideH = At(spec.Stride, 1, 1), StrideW = At(spec.Stride, 2, 1),
            PadTop = Before(1), PadBottom = After(1), PadLeft = Before(2), PadRight = After(2),
            DilationH = At(spec.Dilation, 1, 1), DilationW = At(spec.Dilation, 2, 1), Groups = groups,
        };
        var family = new CaseFamily
        {
            Op = caseOp,
            Mode = spec.PaddingMode switch
            {
                PaddingMode.Reflect => CasePaddingMode.Reflect,
                PaddingMode.Replicate => CasePaddingMode.Replicate,
                PaddingMode.Circular => CasePaddingMode.Circular,
                _ => CasePaddingMode.Zeros,
            },
            Padding = spec.Padding.Kind switch { ConvPaddingKind.Same => CasePadding.Same, ConvPaddingKind.Valid => CasePadding.Valid, _ => CasePadding.Explicit },
            Batched = batched,
            OutputPaddingD = At(spec.OutputPadding, 0, 0), OutputPaddingH = At(spec.OutputPadding, 1, 0), OutputPaddingW = At(spec.OutputPadding, 2, 0),
            D = At(spatial, 0, 1), KD = At(kernel, 0, 1), StrideD = At(spec.Stride, 0, 1), DilationD = At(spec.Dilation, 0, 1),
            PadFront = Before(0), PadBack = After(0),
        };
        (geometry, family) = family.WithImpliedPads(shape, geometry);
        return new CaseConfig(shape, geometry, bias, dtype, activation, clip, valueSeed) { Family = family.IsPlain ? null : family };
    }
}
