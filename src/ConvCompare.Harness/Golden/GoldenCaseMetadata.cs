using System.Globalization;
using ConvCompare.Cases;

namespace ConvCompare.Golden;

/// <summary>
/// The hyperparameter metadata of a case in the golden format's spelling: a batched, zero-padded conv2d exactly
/// as version 1 writes it (<see cref="GoldenFormat.SpecMetadata"/>, so its files keep their bytes); a case of the
/// family (version 2) with <c>op</c> its PyTorch name, <c>padding_mode</c>, and one value per spatial axis in the
/// input's order (width; height, width; depth, height, width) for <c>stride</c>, <c>dilation</c> and a transposed
/// operation's <c>output_padding</c>, two per axis (before, after) for <c>padding</c>, or PyTorch's
/// <c>same</c>/<c>valid</c>.
/// </summary>
internal static class GoldenCaseMetadata
{
    /// <summary>The metadata of <paramref name="config"/> (bias and dtype included, no source).</summary>
    public static Dictionary<string, string> Of(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Family is not { } family)
            return GoldenFormat.SpecMetadata(config.Spec, config.Bias, config.Dtype);
        var axes = config.Axes;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GoldenFormat.Op] = family.Op.Name(),
            [GoldenFormat.PaddingMode] = family.Mode.Token(),
            [GoldenFormat.Stride] = Join(axes.Select(a => a.Stride)),
            [GoldenFormat.Padding] = family.Padding switch
            {
                CasePadding.Same => GoldenFormat.SamePadding,
                CasePadding.Valid => GoldenFormat.ValidPadding,
                _ => Join(axes.SelectMany(a => new[] { a.PadBefore, a.PadAfter })),
            },
            [GoldenFormat.Dilation] = Join(axes.Select(a => a.Dilation)),
            [GoldenFormat.Groups] = Join([config.Geometry.Groups]),
            [GoldenFormat.Bias] = config.Bias ? "true" : "false",
            [GoldenFormat.DType] = GoldenFormat.DTypeText(config.Dtype),
        };
        if (family.Op.Transposed())
            metadata[GoldenFormat.OutputPadding] = Join(axes.Select(a => a.OutputPadding));
        return metadata;
    }

    private static string Join(IEnumerable<long> values) =>
        string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
