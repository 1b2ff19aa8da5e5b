using System.Numerics;
using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Checking;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Tests.Checking;

/// <summary>The public runner, results and reports: what a program of its own gets from the harness.</summary>
public sealed class HarnessRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("convcompare-runner-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ASweepOfACorrectImplementation_PassesAndItsJsonReportSaysSo()
    {
        var runner = new HarnessRunner([new Float64Only()]);

        var results = runner.Sweep(new SweepSettings { Cases = 6 });
        string json = Path.Combine(_directory, "run.json");
        results.WriteJson(json);

        Assert.True(results.Pass, string.Join("; ", results.Outcomes.Where(o => !o.Pass && !o.IsOracle).Select(o => o.CaseId)));
        Assert.Equal(6, results.CaseCount);
        Assert.Contains(results.Outcomes, o => o.Implementation == "f64-only" && o.Tensors.Count >= 3);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(0, report.RootElement.GetProperty("summary").GetProperty("failed").GetInt32());
        Assert.Equal(results.Outcomes.Count, report.RootElement.GetProperty("cases").GetArrayLength());
    }

    [Fact]
    public void APlantedErrorInASweep_FailsNamingTheTensorInTheResultsAndTheJUnitReport()
    {
        var runner = new HarnessRunner([new Float64Only { PlantInWeightGradient = true }]);

        var results = runner.Sweep(new SweepSettings { Cases = 6, FailFast = true });
        string junit = Path.Combine(_directory, "run.xml");
        results.WriteJUnit(junit);

        Assert.False(results.Pass);
        var failed = Assert.Single(results.Outcomes, o => !o.IsOracle && !o.Pass);
        var dw = Assert.Single(failed.Tensors, t => !t.Pass);
        Assert.Equal("dw", dw.Tensor);
        Assert.Equal("reference", dw.JudgedAgainst);
        Assert.True(dw.BoundRatio > 1);
        Assert.NotNull(failed.ShrunkId);
        Assert.Contains(XDocument.Load(junit).Descendants("failure"), f => f.Parent!.Attribute("name")!.Value.Contains(failed.CaseId, StringComparison.Ordinal));
    }

    [Fact]
    public void CheckingOneCase_GivesEachImplementationsOutcomeThenTheOracles()
    {
        var runner = new HarnessRunner([new Float64Only(), new ConvRefImplementation(Conv2dAlgorithm.Vectorized)]);

        var outcomes = runner.Check("n2c3h7w7-o4k3x3-s2x1-p1,0,1,2-d1x2-g1-f64-relu-v5");

        Assert.Equal(["f64-only", "vectorized", "torch"], outcomes.Select(o => o.Implementation));
        Assert.True(outcomes[2].IsOracle);
        Assert.All(outcomes.Take(2), o => Assert.True(o.Pass && o.GradientCheckPass, o.Implementation));
    }

    [Fact]
    public void ARunnerWithoutImplementationsOrWithTwoOfOneName_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new HarnessRunner([]));
        Assert.Throws<ArgumentException>(() => new HarnessRunner([new Float64Only(), new Float64Only()]));
    }

    /// <summary>ConvRef's serial algorithm behind the public interface, in float64 only, with an error planted in dJ/dw on request.</summary>
    private sealed class Float64Only : IConv2dImplementation
    {
        private readonly IConv2dImplementation _inner = new ConvRefImplementation(Conv2dAlgorithm.Serial);

        public bool PlantInWeightGradient { get; init; }

        public string Name => "f64-only";

        public IReadOnlyCollection<Conv2dDtype> Dtypes => [Conv2dDtype.Float64];

        public Conv2dFeatures Features => Conv2dFeatures.All;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T> => _inner.Forward(problem, input, weights, bias, output);

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            _inner.Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);
            if (PlantInWeightGradient)
                weightGradient[0] += T.One;
        }
    }
}
