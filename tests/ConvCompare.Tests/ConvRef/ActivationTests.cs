using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>g, g' and g'' refuse an activation kind they do not know instead of treating it as another.</summary>
public class ActivationTests
{
    private static readonly Activation Unknown = new((ActivationKind)99);

    [Fact]
    public void UnknownKind_IsRejectedByG_NamingIt() =>
        Assert.Equal("unknown activation 99", Assert.Throws<InvalidOperationException>(() => Unknown.Apply(0.5)).Message);

    [Fact]
    public void UnknownKind_IsRejectedByItsDerivative_NamingIt() =>
        Assert.Equal("unknown activation 99", Assert.Throws<InvalidOperationException>(() => Unknown.Derivative(0.5)).Message);

    [Fact]
    public void UnknownKind_IsRejectedByItsSecondDerivative_NamingIt() =>
        Assert.Equal("unknown activation 99", Assert.Throws<InvalidOperationException>(() => Unknown.SecondDerivative(0.5)).Message);
}
