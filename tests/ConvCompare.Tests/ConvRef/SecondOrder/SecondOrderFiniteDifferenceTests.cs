using ConvCompare.Tests.ConvRef.Family;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef.SecondOrder;

/// <summary>
/// ConvRef's double backward against central differences of its own first-order backward pass in float64
/// (<see cref="SecondOrderFiniteDifference"/>), along random directions of a, w, δ and z^(l-1), with the
/// tolerance derived there; and the check catches a 1e-6 relative error in one entry of each gradient.
/// </summary>
public class SecondOrderFiniteDifferenceTests
{
    public static TheoryData<ulong, BackwardInput> LayerRows()
    {
        var rows = new TheoryData<ulong, BackwardInput>();
        for (ulong seed = 31; seed < 39; seed++)
            foreach (var variable in Enum.GetValues<BackwardInput>())
                rows.Add(seed, variable);
        return rows;
    }

    public static TheoryData<string, PaddingMode, ulong> FamilyRows() => FamilyCase.Seeds(41, 1, 2);

    [Theory]
    [MemberData(nameof(LayerRows))]
    public void LayerDoubleBackward_MatchesCentralDifferencesOfTheBackwardPass(ulong seed, BackwardInput variable)
    {
        AssertAgrees(SecondOrderCase.Layer(seed, withActivation: true, withClip: seed % 2 == 0), variable, seed);
    }

    [Theory]
    [MemberData(nameof(FamilyRows))]
    public void FamilyDoubleBackward_MatchesCentralDifferencesOfTheBackwardPass(string op, PaddingMode mode, ulong seed)
    {
        var s = SecondOrderCase.Random(FamilyCase.Operation(op), mode, seed, withActivation: true, withClip: seed % 2 == 0);
        foreach (var variable in Enum.GetValues<BackwardInput>())
            if (variable != BackwardInput.PreviousZ || s.Case.PreviousZ is not null)
                AssertAgrees(s, variable, seed);
    }

    [Theory]
    [InlineData(BackwardInput.Input)]
    [InlineData(BackwardInput.Weights)]
    [InlineData(BackwardInput.Delta)]
    [InlineData(BackwardInput.PreviousZ)]
    public void OneEntryOffByOneMillionth_IsCaught(BackwardInput variable)
    {
        foreach (var activation in new[] { Activation.Sigmoid, Activation.Tanh })
        {
            var spec = new ConvSpec { Stride = [2, 1], Padding = ConvPadding.PerSide([1, 0], [0, 2]), Dilation = [1, 2], Groups = 2 };
            var c = FamilyCase.Of($"conv2d {activation} clip", Convolution.Conv2d, spec, [2, 4, 6, 5], [4, 2, 3, 2], hasBias: true, seed: 21,
                activation, clip: 1);
            var s = SecondOrderCase.With(c, 21, null);
            var direction = SecondOrderFiniteDifference.Direction(s, variable, 5);
            var run = SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Vectorized);
            var right = SecondOrderFiniteDifference.Along(s, variable, direction, run);
            Assert.True(right.Agrees, right.ToString());
            var planted = SecondOrderFiniteDifference.Along(s, variable, direction, Plant(run, variable, direction));
            Assert.False(planted.Agrees, $"{activation} {variable}: planted error not caught: {planted}");
        }
    }

    private static void AssertAgrees(SecondOrderCase s, BackwardInput variable, ulong seed)
    {
        var check = SecondOrderFiniteDifference.Along(s, variable, SecondOrderFiniteDifference.Direction(s, variable, seed * 13 + 1),
            SecondOrderRun.Of<double>(s, Conv2dAlgorithm.Vectorized));
        Assert.True(check.Agrees, $"{s}, along {variable}: {check}");
    }

    /// <summary>The entry of the gradient that contributes most to ⟨G, v⟩, times 1 + 1e-6.</summary>
    private static SecondOrderRun Plant(SecondOrderRun run, BackwardInput variable, double[] v)
    {
        double[] Off(double[] g)
        {
            var result = (double[])g.Clone();
            int at = Enumerable.Range(0, g.Length).MaxBy(j => Math.Abs(g[j] * v[j]));
            result[at] *= 1 + 1e-6;
            return result;
        }
        return variable switch
        {
            BackwardInput.Input => run with { Input = Off(run.Input) },
            BackwardInput.Weights => run with { Weights = Off(run.Weights) },
            BackwardInput.Delta => run with { Delta = Off(run.Delta) },
            _ => run with { PreviousZ = Off(run.PreviousZ!) },
        };
    }
}
