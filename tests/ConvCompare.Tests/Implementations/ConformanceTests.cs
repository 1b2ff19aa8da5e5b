using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Tests.Implementations;

public class ConformanceTests
{
    private const Conv2dFeatures PlainFeatures = Conv2dFeatures.Bias | Conv2dFeatures.Stride | Conv2dFeatures.Padding;

    [Fact]
    public void CaseIdsForALimitedImplementation_AreDistinctWithinItsDtypesAndFeaturesAndTheSameEachTime()
    {
        var limited = new Limited(new ConvRefImplementation(Conv2dAlgorithm.Serial), PlainFeatures, [Conv2dDtype.Float64]);

        var ids = Conformance.CaseIds(limited, count: 40);

        Assert.Equal(40, ids.Distinct().Count());
        Assert.Equal(ids, Conformance.CaseIds(limited, count: 40));
        Assert.All(ids, id =>
        {
            Assert.True(CaseId.TryParse(id, out var config, out _));
            Assert.Equal(CaseDtype.F64, config.Dtype);
            Assert.Equal(0, (int)(Conv2dProblem.Of(config).Requires & ~PlainFeatures));
        });
        Assert.Contains(ids, id => CaseId.TryParse(id, out var c, out _) && c.Geometry.StrideH > 1);
    }

    [Fact]
    public void OutputElementTheImplementationLeavesUnwritten_FailsNamingTheTensorAndTheElement()
    {
        const string id = "n1c2h5w5-o2k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v4";
        var leavesOne = new Limited(new ConvRefImplementation(Conv2dAlgorithm.Serial), Conv2dFeatures.All, [Conv2dDtype.Float64]) { SkipLastOutput = true };

        var failure = Assert.Throws<ConformanceException>(() => Conformance.Assert(leavesOne, id));

        Assert.Equal("y", failure.Tensor);
        Assert.Equal(id, failure.CaseId);
        Assert.StartsWith("y[0,1,4,4]", failure.Element, StringComparison.Ordinal);
        Assert.Contains("NaN", failure.Element, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvRefRegisteredThroughThePublicInterface_PassesACase() =>
        Conformance.Assert(ImplementationRegistry.CreateDefault(), "vectorized", "n2c3h7w7-o4k3x3-s2x1-p1,0,1,2-d1x2-g1-f64-relu-v5");

    /// <summary>An implementation that declares fewer features or dtypes than the one it wraps, and may leave the last element of y unwritten.</summary>
    private sealed class Limited(IConv2dImplementation inner, Conv2dFeatures features, IReadOnlyCollection<Conv2dDtype> dtypes) : IConv2dImplementation
    {
        public bool SkipLastOutput { get; init; }

        public string Name => "limited";

        public IReadOnlyCollection<Conv2dDtype> Dtypes => dtypes;

        public Conv2dFeatures Features => features;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var own = new T[output.Length];
            inner.Forward<T>(problem, input, weights, bias, own);
            own.AsSpan(0, SkipLastOutput ? own.Length - 1 : own.Length).CopyTo(output);
        }

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            inner.Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);
    }
}
