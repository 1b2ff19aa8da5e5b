using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Tests.Implementations;

/// <summary>
/// An implementation nobody here wrote takes the family's and the second order's cases by declaring them
/// through the public interfaces alone, and is judged on them like ConvRef: a correct one passes, a planted
/// error is caught naming its tensor, and an undeclared operation, padding mode or order is never given to it.
/// </summary>
public class DeclaredOperationsTests
{
    private const string TransposedId = "conv_transpose1d-n2c2w5-o4k3-s2-p1,1-op1-d1-g2-f64-v9";
    private const string ReflectId = "conv2d-n2c2h5w6-o3k3x3-s1x1-psame-d1x2-g1-reflect-f64-v17";
    private const string CircularId = "conv3d-n1c3d3h4w2-o3k2x3x2-s2x1x3-p0,0,1,1,0,0-d1x1x1-g3-circular-f64-tanh-v553089";
    private const string SecondOrderId = "n2c2h5w5-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-relu-order2-v42";

    [Theory]
    [InlineData(TransposedId)]
    [InlineData(ReflectId)]
    [InlineData(CircularId)]
    [InlineData(SecondOrderId)]
    public void AThirdPartyImplementationDeclaringTheOperation_TakesAndPassesItsCases(string id) =>
        Conformance.Assert(new ThirdParty(), id);

    [Fact]
    public void AnErrorPlantedInTheFamilysWeightGradient_FailsNamingDw()
    {
        var failure = Assert.Throws<ConformanceException>(() => Conformance.Assert(new ThirdParty { PlantInWeightGradient = true }, TransposedId));

        Assert.Equal(TransposedId, failure.CaseId);
        Assert.Equal("dw", failure.Tensor);
        Assert.True(failure.BoundRatio > 1, $"bound ratio {failure.BoundRatio}");
    }

    [Fact]
    public void AnErrorPlantedInTheDoubleBackward_FailsNamingD2w()
    {
        var failure = Assert.Throws<ConformanceException>(() => Conformance.Assert(new ThirdParty { PlantInDoubleBackward = true }, SecondOrderId));

        Assert.Equal(SecondOrderId, failure.CaseId);
        Assert.Equal("d2w", failure.Tensor);
        Assert.True(failure.BoundRatio > 1, $"bound ratio {failure.BoundRatio}");
    }

    [Theory]
    [InlineData(TransposedId)]
    [InlineData(SecondOrderId)]
    public void AnImplementationOfConv2dOnly_IsNotGivenFamilyOrSecondOrderCases(string id)
    {
        var plain = new Conv2dOnly(new ConvRefImplementation(Conv2dAlgorithm.Serial));

        var refused = Assert.Throws<ArgumentException>(() => Conformance.Assert(plain, id));

        Assert.Contains("does not take case " + id, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReflectId, "conv2d with reflect padding, its mode undeclared")]
    [InlineData(CircularId, "conv3d, its operation undeclared")]
    [InlineData(SecondOrderId, "conv2d's double backward, its order undeclared")]
    public void AnUndeclaredOperationModeOrOrder_IsNotGivenToIt(string id, string why)
    {
        var narrow = new ThirdParty
        {
            Declared = [ConvOperation.Conv2d, ConvOperation.ConvTranspose1d],
            DeclaredModes = [ConvolutionPaddingMode.Zeros],
            DeclaredSecondOrder = [],
        };

        var refused = Assert.Throws<ArgumentException>(() => Conformance.Assert(narrow, id));

        Assert.True(refused.Message.Contains("does not take case", StringComparison.Ordinal), why);
        Conformance.Assert(narrow, TransposedId);
    }

    [Fact]
    public void DeclaredCaseIds_HoldOnlyWhatTheImplementationDeclares_AndTheSameEachTime()
    {
        var narrow = new ThirdParty { Declared = [ConvOperation.ConvTranspose2d, ConvOperation.Conv1d], DeclaredModes = [ConvolutionPaddingMode.Reflect, ConvolutionPaddingMode.Zeros] };

        var ids = Conformance.DeclaredCaseIds(narrow, count: 12);

        Assert.Equal(12, ids.Count);
        Assert.Equal(ids, Conformance.DeclaredCaseIds(narrow, count: 12));
        var configs = ids.Select(id => CaseId.TryParse(id, out var c, out _) ? c : throw new InvalidOperationException(id)).ToList();
        Assert.All(configs, c => Assert.Equal(CaseDtype.F64, c.Dtype));
        Assert.All(configs.Where(c => c.Family is not null), c => Assert.Contains((ConvOperation)c.Op, narrow.Declared));
        Assert.All(configs.Where(c => c.Family is not null), c => Assert.Contains((ConvolutionPaddingMode)c.PaddingMode, narrow.DeclaredModes));
        Assert.Contains(configs, c => c.Op == CaseOp.ConvTranspose2d);
        Assert.Contains(configs, c => c.PaddingMode == CasePaddingMode.Reflect);
        Assert.Contains(configs, c => c.Order == 2);
        Assert.Empty(Conformance.DeclaredCaseIds(new Conv2dOnly(new ConvRefImplementation(Conv2dAlgorithm.Serial))));
    }

    [Fact]
    public void ThePublicNamesOfOperationsModesAndSpellings_AreTheCasesOwnInOrder()
    {
        Assert.Equal(Enum.GetNames<CaseOp>(), Enum.GetNames<ConvOperation>());
        Assert.Equal(Enum.GetNames<CasePaddingMode>(), Enum.GetNames<ConvolutionPaddingMode>());
        Assert.Equal(Enum.GetNames<CasePadding>(), Enum.GetNames<ConvolutionPaddingKind>());
    }

    [Fact]
    public void AProblemOfTheFamily_HasTheCasesShapes()
    {
        foreach (string id in new[] { TransposedId, ReflectId, CircularId, "conv1d-n1c4w11-o3k1-s3-pvalid-d1-g1-reflect-ub-f32-nb-lrelu-v697239" })
        {
            Assert.True(CaseId.TryParse(id, out var config, out string error), error);

            var problem = ConvolutionProblem.Of(config);

            Assert.Equal(config.InputShape, problem.InputShape);
            Assert.Equal(config.WeightShape, problem.WeightShape);
            Assert.Equal(config.OutputShape, problem.OutputShape);
        }
    }

    /// <summary>
    /// A third-party-style implementation: ConvRef's serial algorithm reached through the public
    /// interfaces only (as any library would be wrapped), declaring what it is told to, with an error
    /// planted on request.
    /// </summary>
    private sealed class ThirdParty : IConvolutionFamilyImplementation, ISecondOrderImplementation
    {
        private readonly ConvRefImplementation _inner = new(Conv2dAlgorithm.Serial);

        public bool PlantInWeightGradient { get; init; }

        public bool PlantInDoubleBackward { get; init; }

        public IReadOnlyCollection<ConvOperation> Declared { get; init; } = Enum.GetValues<ConvOperation>();

        public IReadOnlyCollection<ConvolutionPaddingMode> DeclaredModes { get; init; } = Enum.GetValues<ConvolutionPaddingMode>();

        public IReadOnlyCollection<ConvOperation> DeclaredSecondOrder { get; init; } = [ConvOperation.Conv2d];

        public string Name => "third-party";

        public IReadOnlyCollection<Conv2dDtype> Dtypes => [Conv2dDtype.Float64];

        public Conv2dFeatures Features => Conv2dFeatures.All;

        public IReadOnlyCollection<ConvOperation> Operations => Declared;

        public IReadOnlyCollection<ConvolutionPaddingMode> PaddingModes => DeclaredModes;

        public IReadOnlyCollection<ConvOperation> SecondOrderOperations => DeclaredSecondOrder;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T> => ((IConv2dImplementation)_inner).Forward(problem, input, weights, bias, output);

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            ((IConv2dImplementation)_inner).Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);

        public void Forward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T> => ((IConvolutionFamilyImplementation)_inner).Forward(problem, input, weights, bias, output);

        public void Backward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            ((IConvolutionFamilyImplementation)_inner).Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);
            if (PlantInWeightGradient)
                weightGradient[^1] += T.One;
        }

        public void DoubleBackward<T>(ConvolutionProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            ReadOnlySpan<T> inputUpstream, ReadOnlySpan<T> weightUpstream, ReadOnlySpan<T> biasUpstream,
            Span<T> inputResult, Span<T> weightResult, Span<T> upstreamResult, Span<T> previousZResult)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            _inner.DoubleBackward(problem, input, weights, upstream, previousZ, inputUpstream, weightUpstream, biasUpstream, inputResult, weightResult, upstreamResult, previousZResult);
            if (PlantInDoubleBackward)
                weightResult[0] += T.One;
        }
    }

    /// <summary>A conv2d implementation that declares nothing beyond the first order of conv2d.</summary>
    private sealed class Conv2dOnly(IConv2dImplementation inner) : IConv2dImplementation
    {
        public string Name => "conv2d-only";

        public IReadOnlyCollection<Conv2dDtype> Dtypes => inner.Dtypes;

        public Conv2dFeatures Features => inner.Features;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T> => inner.Forward(problem, input, weights, bias, output);

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T> => inner.Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);
    }
}
