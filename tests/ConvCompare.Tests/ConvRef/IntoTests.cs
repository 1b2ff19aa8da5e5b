using ConvCompare.Cases;
using ConvCompare.Runner;
using global::ConvRef;

namespace ConvCompare.Tests.ConvRef;

/// <summary>The entry points that write into caller-owned tensors give what the allocating ones return, whatever was there before.</summary>
public class IntoTests
{
    /// <summary>Columns: shape (N, C_in, H, W, C_out, kH, kW), geometry, bias, activation of the layer below, clip of dJ/dw.</summary>
    private static readonly CaseConfig[] Table =
    [
        new(new(2, 4, 7, 6, 6, 3, 2), new() { StrideH = 2, PadTop = 1, PadRight = 2, DilationW = 2, Groups = 2 },
            Bias: true, CaseDtype.F64, ActivationKind.Sigmoid, Clip: 0.5, ValueSeed: 31),
        new(new(1, 3, 6, 6, 3, 3, 3), new() { StrideH = 3, StrideW = 2, PadBottom = 1, Groups = 3 },
            Bias: false, CaseDtype.F64, ActivationKind.Identity, Clip: null, ValueSeed: 32),
    ];

    public static TheoryData<int, Conv2dAlgorithm> Cases()
    {
        var data = new TheoryData<int, Conv2dAlgorithm>();
        for (int row = 0; row < Table.Length; row++)
            foreach (var algorithm in Enum.GetValues<Conv2dAlgorithm>())
                data.Add(row, algorithm);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IntoVariants_OverwriteStaleContents_AndMatchTheAllocatingCalls(int row, Conv2dAlgorithm algorithm)
    {
        var config = Table[row];
        var inputs = CaseInputs.Create(config);
        var options = ConvRefEngine.Options<double>(config, inputs);
        var y = Conv2d.Forward(inputs.Input, inputs.Weights, inputs.Bias, config.Spec, algorithm);
        var grads = Conv2d.Backward(inputs.Input, inputs.Weights, config.Bias, inputs.Upstream, config.Spec, options, algorithm);

        var output = Stale(config.OutputShape);
        Conv2d.ForwardInto(inputs.Input, inputs.Weights, inputs.Bias, config.Spec, output, algorithm);
        var into = new Conv2dGradients<double>(Stale(config.InputShape), Stale(config.WeightShape), config.Bias ? Stale([config.Shape.Cout]) : null);
        Conv2d.BackwardInto(inputs.Input, inputs.Weights, inputs.Upstream, config.Spec, into, options, algorithm);

        Assert.Equal(y.Data, output.Data);
        Assert.Equal(grads.Input.Data, into.Input.Data);
        Assert.Equal(grads.Weights.Data, into.Weights.Data);
        Assert.Equal(grads.Bias?.Data, into.Bias?.Data);
    }

    private static Tensor<double> Stale(int[] shape)
    {
        var t = Tensor<double>.Zeros(shape);
        Array.Fill(t.Data, 12345.0);
        return t;
    }
}
