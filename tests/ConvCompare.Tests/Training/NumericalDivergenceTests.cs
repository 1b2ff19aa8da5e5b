using ConvCompare.Cli;
using ConvCompare.Tests.Cli;
using ConvCompare.Tests.Harness;
using ConvCompare.Training;
using global::ConvRef;

namespace ConvCompare.Tests.Training;

/// <summary>
/// A learning rate so large that both networks overflow is training that diverged on both sides, not
/// a parity failure; one side alone going non-finite stays a parity failure.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class NumericalDivergenceTests
{
    private static readonly TrainingOptions Overflowing = new(Steps: 4, Batch: 16, LearningRate: 1e308, Momentum: 0.9, Clip: null, Seed: 7, Float32: false);

    [Fact]
    public void BothSidesOverflowing_IsANumericalDivergenceNotAParityFailure_AndTheRunStopsThere()
    {
        var result = TrainingRun.Run<double>(Overflowing);

        var diverged = Assert.IsType<StepRecord>(result.NumericalDivergence);
        Assert.Null(result.FirstDivergence);
        Assert.Equal(result.Steps[^1], diverged);
        Assert.True(diverged.Step < Overflowing.Steps, $"the run went on to step {diverged.Step}");
        Assert.All(result.Steps.Take(result.Steps.Count - 1), s => Assert.True(s.WithinBound, $"step {s.Step}"));
    }

    [Fact]
    public void OnlyConvRefGoingNonFinite_IsAParityFailure()
    {
        MaxPoolBackward<double> poisoned = (delta, argMax, inputShape) =>
        {
            var gradient = MaxPool2d.Backward(delta, argMax, inputShape);
            gradient.Data[0] = double.NaN;
            return gradient;
        };

        var result = TrainingRun.Run(Overflowing with { LearningRate = 0.05 }, maxPoolBackward: poisoned);

        Assert.Equal(1, result.FirstDivergence?.Step);
        Assert.Null(result.NumericalDivergence);
    }

    [Fact]
    public void TrainCommand_SaysTrainingDivergedOnBothSides_PrintsNoMetrics_AndExits5()
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("train", "--lr", "1e308", "--steps", "4", "--batch", "16", "--seed", "7");

        Assert.Equal(ExitCodes.CouldNotFinish, code);
        Assert.Contains("DIVERGED NUMERICALLY ON BOTH SIDES", stdout, StringComparison.Ordinal);
        Assert.Contains("not a parity failure", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ConvRef and TorchSharp differ", stdout, StringComparison.Ordinal);
        Assert.Contains("test split not evaluated", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("micro accuracy", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("confusion matrix", stdout, StringComparison.Ordinal);
        Assert.StartsWith("convcompare: could not finish: training diverged numerically on both sides", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("1.000,5")]
    [InlineData("0,05")]
    public void LearningRateWithACommaOrThousandsSeparator_IsRefusedWithOneSentence(string value)
    {
        var (code, stdout, stderr) = ProgramRun.Invoke("train", "--lr", value);

        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"convcompare: --lr '{value}' is not a number", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lr", "1.5", 1.5)]
    [InlineData("--lr", "2e-3", 2e-3)]
    [InlineData("--momentum", "0.5", 0.5)]
    [InlineData("--clip", "1E2", 100)]
    public void NumbersWithAPointOrAnExponent_AreRead(string option, string value, double expected)
    {
        var parse = CommandLine.Root().Parse(["train", option, value]);

        Assert.Empty(parse.Errors);
        Assert.Equal(expected, option == "--clip" ? parse.GetValue<double?>(option) : parse.GetValue<double>(option));
    }
}
