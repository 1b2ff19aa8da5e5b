using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// A generated case brought within what an implementation takes: every feature it lacks is turned off
/// (groups 1, dilation 1, padding made symmetric or removed, stride 1, no bias, no activation, no
/// clipping) and the dtype moved to one it has. The shapes and the value seed stay, so an
/// implementation with few features still meets the generator's spread of sizes and values.
/// </summary>
internal static class CaseProjection
{
    /// <summary>
    /// <paramref name="config"/> within <paramref name="features"/> and <paramref name="dtypes"/>;
    /// null when the result is no valid layer or exceeds <paramref name="maxMultiplyAdds"/>.
    /// </summary>
    public static CaseConfig? Within(CaseConfig config, Conv2dFeatures features, IReadOnlyCollection<Conv2dDtype> dtypes, long maxMultiplyAdds)
    {
        bool Has(Conv2dFeatures f) => (features & f) == f;
        var g = config.Geometry;
        var geometry = g with
        {
            Groups = Has(Conv2dFeatures.Groups) ? g.Groups : 1,
            DilationH = Has(Conv2dFeatures.Dilation) ? g.DilationH : 1,
            DilationW = Has(Conv2dFeatures.Dilation) ? g.DilationW : 1,
            StrideH = Has(Conv2dFeatures.Stride) ? g.StrideH : 1,
            StrideW = Has(Conv2dFeatures.Stride) ? g.StrideW : 1,
            PadBottom = !Has(Conv2dFeatures.Padding) ? 0 : Has(Conv2dFeatures.AsymmetricPadding) ? g.PadBottom : g.PadTop,
            PadRight = !Has(Conv2dFeatures.Padding) ? 0 : Has(Conv2dFeatures.AsymmetricPadding) ? g.PadRight : g.PadLeft,
            PadTop = Has(Conv2dFeatures.Padding) ? g.PadTop : 0,
            PadLeft = Has(Conv2dFeatures.Padding) ? g.PadLeft : 0,
        };
        var dtype = dtypes.Contains(ImplementationEngine.DtypeOf(config.Dtype)) ? config.Dtype
            : dtypes.Contains(Conv2dDtype.Float64) ? CaseDtype.F64 : CaseDtype.F32;
        var projected = config with
        {
            Geometry = geometry,
            Bias = config.Bias && Has(Conv2dFeatures.Bias),
            Activation = Has(Conv2dFeatures.PreviousActivation) ? config.Activation : ActivationKind.Identity,
            Clip = Has(Conv2dFeatures.GradientClip) ? config.Clip : null,
            Dtype = dtype,
        };
        return projected.Problem is null && projected.MultiplyAdds <= maxMultiplyAdds ? projected : null;
    }
}
