using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Cli;
using ConvCompare.Implementations;
using ConvCompare.Runner;
using ConvCompare.Tests.Harness;

namespace ConvCompare.Tests.Implementations;

[Collection(nameof(ConsoleCollection))]
public class ImplementationRegistryTests
{
    [Fact]
    public void DefaultRegistry_HoldsConvRefsAlgorithmsWithTorchAsOracleAndTheReferenceAsArbiter()
    {
        var registry = ImplementationRegistry.CreateDefault();

        Assert.Equal(["serial", "vectorized"], registry.Names);
        Assert.All(registry.Implementations, i => Assert.IsType<ConvRefImplementation>(i));
        Assert.Equal("torch", registry.OracleName);
        Assert.Equal("reference", registry.ArbiterName);
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("all")]
    [InlineData("torch")]
    [InlineData("reference")]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("")]
    public void RegisteringATakenReservedOrMalformedName_IsRefusedNamingIt(string name)
    {
        var registry = ImplementationRegistry.CreateDefault();

        var error = Assert.Throws<ArgumentException>(() => registry.Register(new Named(name)));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selection_TakesCommaSeparatedNamesOrAllInRegistrationOrder()
    {
        var registry = ImplementationRegistry.CreateDefault().Register(new Named("mine"));

        Assert.True(registry.TrySelect("mine,serial", out var two, out _));
        Assert.True(registry.TrySelect("all", out var all, out _));

        Assert.Equal(["serial", "mine"], two.Select(i => i.Name));
        Assert.Equal(["serial", "vectorized", "mine"], all.Select(i => i.Name));
    }

    [Fact]
    public void SelectionOfAnUnregisteredName_IsOneSentenceListingTheRegisteredNames()
    {
        var registry = ImplementationRegistry.CreateDefault();

        Assert.False(registry.TrySelect("serial,gpu", out var selected, out string? problem));

        Assert.Empty(selected);
        Assert.Equal("--impl serial,gpu names an implementation that is not registered ('gpu'); registered: serial, vectorized (or all)", problem);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check n1c1h4w4-o1k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1")]
    [InlineData("golden nothing.safetensors")]
    public void ImplOptionOfEveryCommand_RefusesAnUnregisteredNameWithExitCode2AndTheRegisteredNames(string command)
    {
        var (code, stdout, stderr) = ConsoleCapture.Run(() => CommandLine.Run([.. command.Split(' '), "--impl", "winograd"]));

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'winograd'", line, StringComparison.Ordinal);
        Assert.Contains("registered: serial, vectorized (or all)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ImplementationThatLacksAFeature_IsNotGivenCasesThatNeedIt()
    {
        Assert.True(CaseId.TryParse("n1c2h4w4-o2k2x2-s1x1-p0,0,0,0-d1x1-g2-f64-v1", out var grouped, out _));
        Assert.True(CaseId.TryParse("n1c2h4w4-o2k2x2-s1x1-p0,0,0,0-d1x1-g1-f64-v1", out var plain, out _));
        var engine = new ImplementationEngine(new Named("ungrouped", Conv2dFeatures.All & ~Conv2dFeatures.Groups));
        var runner = new CaseRunner([engine], new ReferenceOracle());

        var onGrouped = runner.Run(grouped);
        var onPlain = runner.Run(plain);

        Assert.DoesNotContain(onGrouped, r => r.Implementation == "ungrouped");
        var result = Assert.Single(onPlain, r => r.Implementation == "ungrouped");
        Assert.Contains("NotImplementedException", result.Error, StringComparison.Ordinal);
    }

    /// <summary>An implementation that only has a name and features: computing throws.</summary>
    private sealed class Named(string name, Conv2dFeatures features = Conv2dFeatures.All) : IConv2dImplementation
    {
        public string Name => name;

        public IReadOnlyCollection<Conv2dDtype> Dtypes => [Conv2dDtype.Float64];

        public Conv2dFeatures Features => features;

        public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
            where T : unmanaged, IFloatingPointIeee754<T> => throw new NotImplementedException();

        public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
            Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
            where T : unmanaged, IFloatingPointIeee754<T> => throw new NotImplementedException();
    }
}
