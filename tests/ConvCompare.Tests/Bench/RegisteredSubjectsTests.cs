using ConvCompare.Bench;
using ConvCompare.Implementations;

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
}
