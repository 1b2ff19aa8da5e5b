using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Comparison;
using ConvCompare.Numerics;
using ConvCompare.Oracles;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// The special-value cases with infinite weights (<c>infw</c>) that the sweep appends: layers without padding, half at a
/// stride above 1 and half at stride 1, half of them depthwise, whose dJ/da the definition sums from the error's values only.
/// </summary>
public class InfiniteWeightCasesTests
{
    private static readonly List<CaseConfig> DefaultCases = [.. Enumerable.Range(0, RunCommand.DefaultInfiniteWeightCases)
        .Select(new CaseGenerator(RunCommand.DefaultSeed).GenerateInfiniteWeights)];

    [Fact]
    public void AppendedInfiniteWeightCases_LeaveEveryOtherCaseOfTheSeedAsItWas()
    {
        var options = new CaseGeneratorOptions { FamilyCases = 5, SecondOrderCases = 3, FamilySecondOrderCases = 2 };
        var without = new CaseGenerator(42, options).Sweep(100, Shard.All).ToList();
        var with = new CaseGenerator(42, options with { InfiniteWeightCases = 6 }).Sweep(100, Shard.All).ToList();

        Assert.Equal(without, with.Take(without.Count));
        Assert.DoesNotContain(without, c => c.Case.Values == ValueKind.InfiniteWeights);
        var appended = with.Skip(without.Count).ToList();
        Assert.Equal(Enumerable.Range(110, 6), appended.Select(c => c.Index));
        Assert.All(appended, c => Assert.Equal(ValueKind.InfiniteWeights, c.Case.Values));
        Assert.Equal(with.Count, new CaseGenerator(42, options with { InfiniteWeightCases = 6 }).SweepSize(100));
    }

    [Fact]
    public void DefaultInfiniteWeightCases_AreValidLayersWithoutPadding_HalfAtAStrideAbove1_HalfOfThemDepthwise()
    {
        Assert.Equal(RunCommand.DefaultInfiniteWeightCases / 2, DefaultCases.Count(c => c.Geometry.StrideH > 1 || c.Geometry.StrideW > 1));
        Assert.All(DefaultCases, c =>
        {
            Assert.Null(c.Problem);
            Assert.Equal((0, 0, 0, 0), (c.Geometry.PadTop, c.Geometry.PadBottom, c.Geometry.PadLeft, c.Geometry.PadRight));
            Assert.Equal(ActivationKind.Identity, c.Activation);
            Assert.Null(c.Clip);
        });
        Assert.Equal(RunCommand.DefaultInfiniteWeightCases / 2, DefaultCases.Count(c => c.Geometry.Groups > 1 && c.Shape.Cin == c.Geometry.Groups && c.Shape.Cout == c.Geometry.Groups));
    }

    [Fact]
    public void InfiniteWeightValues_PutOneToThreeInfinitiesIntoTheWeightsOnly_AndTheIdSaysSo()
    {
        foreach (var config in DefaultCases)
        {
            var inputs = CaseInputs.Create(config);
            Assert.InRange(inputs.Weights.Data.Count(double.IsInfinity), 1, 3);
            Assert.DoesNotContain(inputs.Weights.Data, double.IsNaN);
            Assert.All([inputs.Input, inputs.Upstream, .. inputs.Bias is null ? Array.Empty<Tensor<double>>() : [inputs.Bias]],
                t => Assert.All(t.Data, v => Assert.True(double.IsFinite(v))));
            string id = CaseId.Format(config);
            Assert.Contains("-infw-v", id, StringComparison.Ordinal);
            Assert.True(CaseId.TryParse(id, out var parsed, out string error), error);
            Assert.Equal(config, parsed);
        }
    }

    [Fact]
    public void DefaultInfiniteWeightCases_PassBothConvRefAlgorithms_AgainstTheReference()
    {
        var runner = new CaseRunner([new ConvRefEngine(Conv2dAlgorithm.Serial), new ConvRefEngine(Conv2dAlgorithm.Vectorized)], new ReferenceOracle());
        int propagated = 0;
        foreach (var config in DefaultCases)
        {
            var results = runner.Run(config);
            Assert.All(results, r => Assert.True(r.Pass, $"{CaseId.Format(config)} {r.Implementation}: {string.Join("; ", r.Tensors.Where(t => !t.Pass).Select(t => t.Kind.Name()))}"));
            if (CompensatedReference.Compute(config, CaseInputs.Create(config), TensorKind.Dx).Data.Any(double.IsInfinity))
                propagated++;
        }
        Assert.Equal(DefaultCases.Count, propagated);
    }

    [Fact]
    public void TheErrorsInterleavedZerosUnderAnInfiniteTap_FailTheStridedDepthwiseCases()
    {
        // The serial composition that multiplies structural zeros (the valid correlation of the zero-padded
        // interleaved error with the rotated dilated kernel), with ConvRef's public building blocks: these cases must catch it.
        int caught = 0, depthwise = 0;
        foreach (var config in DefaultCases.Where(c => c.Geometry.Groups > 1 && c.Shape.Cout == c.Geometry.Groups && (c.Geometry.StrideH > 1 || c.Geometry.StrideW > 1)))
        {
            depthwise++;
            var inputs = CaseInputs.Create(config);
            var g = config.Geometry;
            var dx = Tensor<double>.Zeros(config.InputShape);
            for (int n = 0; n < config.Shape.N; n++)
                for (int c = 0; c < config.Shape.Cin; c++)
                {
                    var rotated = Plane.Rot180(Plane.Interleave(PlaneOf(inputs.Weights, c, 0), g.DilationH - 1, g.DilationW - 1));
                    int kh = rotated.GetLength(0) - 1, kw = rotated.GetLength(1) - 1;
                    var full = Plane.ValidCorrelate(Plane.Pad(Plane.Interleave(PlaneOf(inputs.Upstream, n, c), g.StrideH - 1, g.StrideW - 1), kh, kh, kw, kw), rotated);
                    var cropped = Plane.Crop(full, 0, 0, config.Shape.H, config.Shape.W);
                    for (int i = 0; i < config.Shape.H; i++)
                        for (int j = 0; j < config.Shape.W; j++)
                            dx[n, c, i, j] = cropped[i, j];
                }
            var reference = CompensatedReference.Compute(config, inputs, TensorKind.Dx);
            var bound = RoundingBound.Compute(config, inputs).Between(TensorKind.Dx, Arithmetic.Float64, Arithmetic.CompensatedFloat64);
            if (!TensorComparison.Compare(TensorKind.Dx, dx, reference, bound, CaseDtype.F64).Pass)
                caught++;
        }
        Assert.Equal(depthwise, caught);
    }

    private static double[,] PlaneOf(Tensor<double> t, int n, int c)
    {
        var plane = new double[t.Shape[2], t.Shape[3]];
        for (int i = 0; i < t.Shape[2]; i++)
            for (int j = 0; j < t.Shape[3]; j++)
                plane[i, j] = t[n, c, i, j];
        return plane;
    }
}
