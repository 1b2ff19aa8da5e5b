using System.Numerics;
using ConvCompare.Bench;
using ConvCompare.Implementations;
using ConvRef;

namespace ConvCompare.Tests.Bench;

public class RegisteredSubjectsTests
{
    [Fact]
    public void EveryRegisteredNameAndTheOracle_IsTimedUnderItsOwnName()
    {
        var registry = ImplementationRegistry.CreateDefault();
        string[] impls = [.. registry.Names, registry.OracleName];
        var options = new BenchOptions([new BenchShape("tiny", 1, 2, 6, 6, 2, 3, 1, 1)], ["f64"], impls, Repeat: 1);

        var measurements = BenchRunner.Measure(options);

        foreach (var pass in new[] { BenchPass.Fwd, BenchPass.FwdBwd })
            Assert.Equal(impls, measurements.Where(m => m.Pass == pass).Select(m => m.Impl));
        Assert.All(measurements, m => Assert.True(m.MedianMs > 0, $"{m.Impl} {m.PassName}: median {m.MedianMs} ms"));
    }

    [Fact]
    public void AnImplementationThatIsNotConvRef_IsTimedThroughThePublicInterface()
    {
        var third = new Counting(new ConvRefImplementation(Conv2dAlgorithm.Serial));
        var registry = new ImplementationRegistry().Register(third);
        string[] impls = [third.Name, registry.OracleName];
        var options = new BenchOptions([new BenchShape("tiny", 1, 2, 6, 6, 2, 3, 1, 1)], ["f32"], impls, Repeat: 2) { Registry = registry };

        var measurements = BenchRunner.Measure(options);

        Assert.Equal(impls, measurements.Where(m => m.Pass == BenchPass.FwdBwd).Select(m => m.Impl));
        Assert.True(third.Forwards >= 2 * 2, $"forward called {third.Forwards} times");
        Assert.True(third.Backwards >= 2, $"backward called {third.Backwards} times");
    }

    /// <summary>A third-party-style implementation: ConvRef's serial algorithm behind the public interface only, counting its calls.</summary>
    private sealed class Counting(IConv2dImplementation inner) : IConv2dImplementation
    {
        public int Forwards { get; private set; }

        public int Backwards { get; private set; }

        public string Name => "third";

        public IReadOnlyCollection<Conv2dDtype> Dtypes => inner.Dtypes;

        public Conv2dFeatures Features => inner.Features;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Forwards++;
            inner.Forward(problem, input, weights, bias, output);
        }

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Backwards++;
            inner.Backward(problem, input, weights, upstream, previousZ, inputGradient, weightGradient, biasGradient);
        }
    }
}
