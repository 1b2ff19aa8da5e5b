using global::ConvRef;
using static ConvCompare.Tests.Training.Support.LayerCheck;

namespace ConvCompare.Tests.Training;

/// <summary>
/// The optimizer's rules: the ranges of its hyperparameters at their edges, the checks a step makes
/// before it changes anything, the step count and the velocity it keeps.
/// </summary>
public class SgdRuleTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRateThatIsNotFiniteAndPositive_IsRefused(double learningRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(learningRate, 0));
        Assert.Equal("learningRate", error.ParamName);
        Assert.StartsWith("the learning rate must be finite and positive", error.Message);
    }

    [Theory]
    [InlineData(-0.25)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void MomentumOutsideZeroToOne_IsRefused(double momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, momentum));
        Assert.Equal("momentum", error.ParamName);
        Assert.StartsWith("the momentum must be in [0, 1)", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void ClipValueThatIsNotPositive_IsRefused(double clip)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, 0, clip));
        Assert.Equal("clipValue", error.ParamName);
        Assert.StartsWith("the clip value must be positive", error.Message);
    }

    [Fact]
    public void MomentumOfZeroAndTheSmallestPositiveValues_AreAccepted()
    {
        var parameter = Tensor([1], [1]);
        var sgd = new Sgd<double>(double.Epsilon, 0, double.Epsilon);
        sgd.Step([parameter], [Tensor([1], [0])]);
        Assert.Equal([1], parameter.Data);
        Assert.Equal(1, sgd.Steps);
    }

    [Fact]
    public void Steps_CountsTheStepsTaken_AndARefusedStepIsNotCounted()
    {
        var parameter = Tensor([2], [1, 2]);
        var sgd = new Sgd<double>(0.5, 0);
        Assert.Equal(0, sgd.Steps);
        sgd.Step([parameter], [Tensor([2], [1, 1])]);
        sgd.Step([parameter], [Tensor([2], [1, 1])]);
        Assert.Throws<ArgumentException>(() => sgd.Step([parameter], [Tensor([3], [1, 1, 1])]));
        Assert.Equal(2, sgd.Steps);
    }

    [Fact]
    public void Velocity_IsTheClippedGradientAtTheFirstStep_ThenMomentumTimesItPlusTheNext()
    {
        // Values exact in binary: v1 = clamp(g1) = [0.5, -0.5, 0.25]; v2 = 0.5 v1 + clamp(g2) = [0.75, 0.25, 0.125].
        var parameter = Tensor([3], [0, 0, 0]);
        var sgd = new Sgd<double>(1, 0.5, 0.5);
        sgd.Step([parameter], [Tensor([3], [2, -2, 0.25])]);
        Assert.Equal([0.5, -0.5, 0.25], sgd.Velocity(0).ToArray());
        Assert.Equal([-0.5, 0.5, -0.25], parameter.Data);
        sgd.Step([parameter], [Tensor([3], [0.5, 0.5, 0])]);
        Assert.Equal([0.75, 0.25, 0.125], sgd.Velocity(0).ToArray());
        Assert.Equal([-1.25, 0.25, -0.375], parameter.Data);
    }

    [Fact]
    public void FirstStepsVelocity_IsACopyOfTheClippedGradient_NegativeZeroIncluded()
    {
        // PyTorch starts its momentum buffer as a copy of the gradient; mu * 0 + (-0) would be +0 instead.
        var parameter = Tensor([2], [1, 1]);
        var sgd = new Sgd<double>(0.5, 0.5);
        sgd.Step([parameter], [Tensor([2], [-0.0, 0.0])]);
        Assert.True(double.IsNegative(sgd.Velocity(0)[0]), "the velocity of a -0 gradient lost its sign");
        Assert.False(double.IsNegative(sgd.Velocity(0)[1]));
    }

    [Fact]
    public void MoreGradientsThanParameters_IsRefusedNamingGradients()
    {
        var sgd = new Sgd<double>(0.1, 0);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step([Tensor([1], [1])], [Tensor([1], [1]), Tensor([1], [1])]));
        Assert.Equal("gradients", error.ParamName);
        Assert.StartsWith("1 parameters but 2 gradients", error.Message);
    }

    [Fact]
    public void GradientOfAnotherShape_IsRefusedWithItsIndex()
    {
        var sgd = new Sgd<double>(0.1, 0);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step([Tensor([1], [1]), Tensor([2], [1, 2])], [Tensor([1], [1]), Tensor([1, 2], [1, 2])]));
        Assert.Equal("gradients", error.ParamName);
        Assert.StartsWith("gradient 1 [1,2] does not match its parameter [2]", error.Message);
    }

    [Fact]
    public void AnotherNumberOfParametersThanAtTheFirstStep_IsRefusedNamingParameters()
    {
        var sgd = new Sgd<double>(0.1, 0.9);
        sgd.Step([Tensor([1], [1]), Tensor([1], [1])], [Tensor([1], [1]), Tensor([1], [1])]);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step([Tensor([1], [1])], [Tensor([1], [1])]));
        Assert.Equal("parameters", error.ParamName);
        Assert.StartsWith("the optimizer was stepped with 2 parameters before, now 1", error.Message);
    }

    [Fact]
    public void ParameterWithAnotherElementCountThanAtTheLastStep_IsRefusedWithoutChangingAnything()
    {
        var first = Tensor([2], [1, 2]);
        var sgd = new Sgd<double>(0.5, 0.5);
        sgd.Step([first, Tensor([1], [1])], [Tensor([2], [1, 1]), Tensor([1], [1])]);
        var resized = Tensor([3], [1, 2, 3]);
        var error = Assert.Throws<ArgumentException>(() => sgd.Step([first, resized], [Tensor([2], [1, 1]), Tensor([3], [1, 1, 1])]));
        Assert.Equal("parameters", error.ParamName);
        Assert.StartsWith("parameter 1 has 3 elements, 1 at the last step", error.Message);
        Assert.Equal([0.5, 1.5], first.Data);
        Assert.Equal([1, 1], sgd.Velocity(0).ToArray());
        Assert.Equal([1, 2, 3], resized.Data);
    }
}
