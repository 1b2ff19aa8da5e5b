namespace ConvCompare.Cases;

/// <summary>The value classes near the edges of validity the generator aims at on purpose.</summary>
[Flags]
internal enum EdgeClass
{
    /// <summary>None of the classes below.</summary>
    None = 0,
    /// <summary>A stride that does not divide (padded input - kernel extent): the last rows or columns are never covered and get zero gradient.</summary>
    UncoveredStride = 1,
    /// <summary>The dilated kernel is as large as the padded input along an axis: one output row or column.</summary>
    KernelFillsPaddedInput = 2,
    /// <summary>A 1x1 kernel.</summary>
    OneByOneKernel = 4,
    /// <summary>An input one row high (or one column wide).</summary>
    SingleRowInput = 8,
    /// <summary>Padding on some side wider than the dilated kernel: outputs that see only zeros.</summary>
    PaddingWiderThanKernel = 16,
    /// <summary>Depthwise: groups = C_in.</summary>
    Depthwise = 32,
    /// <summary>More than one group but not depthwise.</summary>
    Grouped = 64,
    /// <summary>Work the size of a real network's layer, at least <see cref="EdgeClasses.RealLayerWork"/> multiply-adds (the realistic tier).</summary>
    RealLayerSize = 128,
    /// <summary>Special values: subnormal, near the largest float32, exact zeros, all equal, or NaN and infinities (<see cref="ValueKind"/>).</summary>
    SpecialValues = 256,
}

/// <summary>Which <see cref="EdgeClass"/> values a configuration exhibits, for coverage checks.</summary>
internal static class EdgeClasses
{
    /// <summary>The least work of a realistic layer (the depthwise family's smallest draw is above it): a million multiply-adds.</summary>
    public const long RealLayerWork = 1_000_000;

    /// <summary>The name of a class in summaries and reports.</summary>
    public static string Name(EdgeClass edge) => edge switch
    {
        EdgeClass.UncoveredStride => "uncovered stride",
        EdgeClass.KernelFillsPaddedInput => "kernel fills padded input",
        EdgeClass.OneByOneKernel => "1x1 kernel",
        EdgeClass.SingleRowInput => "single-row input",
        EdgeClass.PaddingWiderThanKernel => "padding wider than kernel",
        EdgeClass.Depthwise => "depthwise",
        EdgeClass.Grouped => "grouped",
        EdgeClass.RealLayerSize => "real-layer size",
        EdgeClass.SpecialValues => "special values",
        _ => "none",
    };

    /// <summary>All classes <paramref name="c"/> belongs to.</summary>
    public static EdgeClass Of(CaseConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var (rows, columns) = (c.Rows, c.Columns);
        var classes = c.Family is null ? EdgeClass.None : FamilyShape(c);
        if (c.Family is null && (rows.LeavesUncovered || columns.LeavesUncovered))
            classes |= EdgeClass.UncoveredStride;
        if (c.Family is null && (rows.Span == 0 || columns.Span == 0))
            classes |= EdgeClass.KernelFillsPaddedInput;
        if (c.Family is null && c.Shape.KH == 1 && c.Shape.KW == 1)
            classes |= EdgeClass.OneByOneKernel;
        if (c.Family is null && (c.Shape.H == 1 || c.Shape.W == 1))
            classes |= EdgeClass.SingleRowInput;
        if (c.Family is null && (Math.Max(rows.PadBefore, rows.PadAfter) > rows.Extent || Math.Max(columns.PadBefore, columns.PadAfter) > columns.Extent))
            classes |= EdgeClass.PaddingWiderThanKernel;
        if (c.Geometry.Groups > 1 && c.Geometry.Groups == c.Shape.Cin)
            classes |= EdgeClass.Depthwise;
        else if (c.Geometry.Groups > 1)
            classes |= EdgeClass.Grouped;
        if (c.MultiplyAdds >= RealLayerWork)
            classes |= EdgeClass.RealLayerSize;
        if (c.Values != ValueKind.Uniform)
            classes |= EdgeClass.SpecialValues;
        return classes;
    }

    /// <summary>
    /// The shape classes of a family case, over its own spatial axes (a 1-D case has no height axis to be a
    /// single row): the stride and the kernel's fit only for a convolution, whose kernel slides over the padded input.
    /// </summary>
    private static EdgeClass FamilyShape(CaseConfig c)
    {
        var axes = c.Axes;
        bool sliding = !c.Op.Transposed();
        var classes = EdgeClass.None;
        if (sliding && axes.Any(a => (a.Input + a.PadBefore + a.PadAfter - a.Extent) % a.Stride != 0))
            classes |= EdgeClass.UncoveredStride;
        if (sliding && axes.Any(a => a.Input + a.PadBefore + a.PadAfter == a.Extent))
            classes |= EdgeClass.KernelFillsPaddedInput;
        if (axes.All(a => a.Kernel == 1))
            classes |= EdgeClass.OneByOneKernel;
        if (axes.Any(a => a.Input == 1))
            classes |= EdgeClass.SingleRowInput;
        if (axes.Any(a => Math.Max(a.PadBefore, a.PadAfter) > a.Extent))
            classes |= EdgeClass.PaddingWiderThanKernel;
        return classes;
    }
}
