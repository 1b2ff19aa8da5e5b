using ConvCompare.Implementations;
using ConvCompare.Cases;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// With the identity below the layer, z^(l-1) is a^(l-1) itself: the harness hands it to ConvRef's family
/// entry points on value seeds with bit 1 set, so the sweep drives the engines' path that is given z
/// and multiplies by g'(z) = 1, and the results are the same bits as without it.
/// </summary>
public class IdentityPreviousZTests
{
    [Theory]
    [InlineData(Conv2dAlgorithm.Serial)]
    [InlineData(Conv2dAlgorithm.Vectorized)]
    public void IdentityCase_GivenZ_GivesTheSameBitsAsWithout(Conv2dAlgorithm algorithm)
    {
        var generator = new CaseGenerator(5);
        var drawn = Enumerable.Range(0, 200).Select(generator.GenerateFamily)
            .First(c => c.Activation == ActivationKind.Identity && c.Clip is null && c.Bias);
        var with = drawn with { ValueSeed = drawn.ValueSeed | 2 };
        var without = drawn with { ValueSeed = drawn.ValueSeed & ~2UL };
        var inputs = CaseInputs.Create(with);
        Assert.NotNull(ConvRefImplementation.Options<double>(ConvolutionProblem.Of(with), [], inputs.Input.Data).PreviousZ);
        Assert.Null(ConvRefImplementation.Options<double>(ConvolutionProblem.Of(without), [], inputs.Input.Data).PreviousZ);

        var engine = new ConvRefEngine(algorithm);
        var given = engine.Compute(with, inputs, CaseDtype.F64);
        var plain = engine.Compute(without, inputs, CaseDtype.F64);

        foreach (var kind in TensorKinds.Of(with))
            Assert.Equal(plain[kind]!.Data.Select(BitConverter.DoubleToInt64Bits), given[kind]!.Data.Select(BitConverter.DoubleToInt64Bits));
    }
}
