using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Family;

/// <summary>
/// The lowering of 1-, 2- and 3-D convolutions to the 2-D engines, on its own: the memory it says it
/// takes, the adjoint of its depth slicing, and the largest lowering a tensor can hold.
/// </summary>
public class PlanarLoweringTests
{
    /// <summary>batch x C_in x input, C_out, kernel, stride, dilation 1, padding before and after.</summary>
    private static PlanarLowering Lowering(int batch, int inChannels, int outChannels, int[] input, int[] kernel, int[] stride, int[] before, int[] after) =>
        new(batch, inChannels, outChannels, 1, input, kernel, stride, [.. input.Select(_ => 1)], before, after);

    [Fact]
    public void Workspace_IsNothingBelow3d_AndTheSlicesAndTheDepthBatchIn3d()
    {
        Assert.Empty(Lowering(2, 3, 4, [10], [3], [1], [1], [1]).Workspace());
        Assert.Empty(Lowering(2, 3, 4, [6, 7], [3, 3], [1, 2], [1, 1], [1, 0]).Workspace());

        // OD = (1 + 5 + 0 - 2) / 2 + 1 = 3, OH = 6 + 2 - 3 + 1 = 6, OW = 7 + 2 - 3 + 1 = 7: the slices are
        // N·OD x C_in·kD x H x W = 6 x 6 x 6 x 7 (the plane unpadded: the 2-D engine pads it), the output
        // N·OD x C_out x OH x OW = 6 x 4 x 6 x 7.
        var workspace = Lowering(2, 3, 4, [5, 6, 7], [2, 3, 3], [2, 1, 1], [1, 1, 1], [0, 1, 1]).Workspace().ToList();
        Assert.Equal(
            [("the 3-D input as 2-D depth slices [6,6,6,7]", 1512L), ("the 3-D output with its depths as the batch [6,4,6,7]", 1008L)],
            workspace);
    }

    [Fact]
    public void RaisedInputGradient_DoesNotDependOnWhatTheTargetHeld()
    {
        var lowering = Lowering(2, 2, 3, [4, 3, 3], [3, 2, 2], [1, 1, 1], [1, 0, 0], [1, 0, 0]);
        var planar = Tensor<double>.Zeros(lowering.Planar.InputShape);
        for (int i = 0; i < planar.Length; i++)
            planar.Data[i] = i % 7 - 3;
        var fromZeros = Tensor<double>.Zeros(lowering.InputShape);
        var fromNaN = Tensor<double>.Zeros(lowering.InputShape);
        Array.Fill(fromNaN.Data, double.NaN);

        lowering.RaiseInputGradient(planar, fromZeros);
        lowering.RaiseInputGradient(planar, fromNaN);

        Assert.Contains(fromZeros.Data, v => v != 0);
        Assert.Equal(fromZeros.Data, fromNaN.Data);
    }

    [Fact]
    public void LoweringOfExactlyTheLargestArrayLength_IsAllowed_AndOneMoreIsRefusedNamingTheInput()
    {
        int max = Array.MaxLength;
        // N·OD samples: a depth of Array.MaxLength with a kernel depth of 1.
        Assert.Equal(max, Lowering(1, 1, 1, [max, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]).Planar.InputShape[0]);
        // C_in·kD slices: one channel with a kernel as deep as the input.
        Assert.Equal(max, Lowering(1, 1, 1, [max, 1, 1], [max, 1, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]).Planar.InputShape[1]);

        var samples = Assert.Throws<Conv2dArgumentException>(() => Lowering(2, 1, 1, [max, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]));
        Assert.Equal($"the 3-D convolution as 2-D planes would need {2L * max} samples of 1 depth slices, more than any tensor can hold", samples.Message);
        Assert.Equal("input", samples.ParamName);
        var slices = Assert.Throws<Conv2dArgumentException>(() => Lowering(1, 2, 1, [max, 1, 1], [max, 1, 1], [1, 1, 1], [0, 0, 0], [0, 0, 0]));
        Assert.Equal($"the 3-D convolution as 2-D planes would need 1 samples of {2L * max} depth slices, more than any tensor can hold", slices.Message);
        Assert.Equal("input", slices.ParamName);
    }
}
