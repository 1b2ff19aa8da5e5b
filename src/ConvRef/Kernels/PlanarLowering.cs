using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>
/// A plain convolution with zero padding of rank 1, 2 or 3 as one 2-D convolution, so that both 2-D
/// engines compute every rank. 1-D is a single row (height 1, the same memory). 3-D is a sum of 2-D
/// convolutions over the kernel's depth: output plane od of filter k is Σ_c Σ_kd a_c[od·sD + kd·dD - pD] ⊛ w_kc[kd],
/// i.e. a 2-D convolution whose input channels are the C_in/G x kD depth slices (c, kd), which is
/// exactly the memory layout of w; the output depths od become the batch (N·OD samples), so one engine
/// call computes them all. Depth slices in the padding are zero planes.
/// </summary>
internal sealed class PlanarLowering
{
    private readonly int _batch;
    private readonly int _inChannels;
    private readonly int _outChannels;
    private readonly int[] _input;
    private readonly int[] _kernel;
    private readonly int[] _output;
    private readonly int _depthStride;
    private readonly int _depthDilation;
    private readonly int _depthPadding;

    /// <summary>The convolution of <paramref name="batch"/> x <paramref name="inChannels"/> x <paramref name="input"/> with zero padding.</summary>
    public PlanarLowering(int batch, int inChannels, int outChannels, int groups, int[] input, int[] kernel, int[] stride, int[] dilation,
        int[] before, int[] after)
    {
        int rank = input.Length;
        _batch = batch;
        _inChannels = inChannels;
        _outChannels = outChannels;
        _input = input;
        _kernel = kernel;
        _output = [.. Enumerable.Range(0, rank).Select(i => (before[i] + input[i] + after[i] - (kernel[i] - 1) * dilation[i] - 1) / stride[i] + 1)];
        int h = rank - 2, w = rank - 1;
        var spec = new Conv2dSpec
        {
            StrideH = h < 0 ? 1 : stride[h], StrideW = stride[w], DilationH = h < 0 ? 1 : dilation[h], DilationW = dilation[w],
            PadTop = h < 0 ? 0 : before[h], PadBottom = h < 0 ? 0 : after[h], PadLeft = before[w], PadRight = after[w], Groups = groups,
        };
        (_depthStride, _depthDilation, _depthPadding) = rank == 3 ? (stride[0], dilation[0], before[0]) : (1, 1, 0);
        long samples = (long)batch * Depth(_output), slices = (long)inChannels * Depth(kernel);
        if (samples > Array.MaxLength || slices > Array.MaxLength)
            throw ConvGeometry.Fail($"the 3-D convolution as 2-D planes would need {samples} samples of {slices} depth slices, more than any tensor can hold", "input");
        Planar = Conv2dGeometry.Create([(int)samples, (int)slices, .. Plane(input)],
            [outChannels, inChannels / groups * Depth(kernel), .. Plane(kernel)], spec);
    }

    /// <summary>The 2-D convolution the engines run.</summary>
    public Conv2dGeometry Planar { get; }

    /// <summary>N x C_out x output: the N-dimensional output's shape.</summary>
    public int[] OutputShape => [_batch, _outChannels, .. _output];

    /// <summary>N x C_in x input.</summary>
    public int[] InputShape => [_batch, _inChannels, .. _input];

    private bool IsPlanarView => _input.Length < 3;

    /// <summary>Extra memory the lowering takes: the 3-D input as depth slices, and the output or error with its depths as the batch.</summary>
    public IEnumerable<(string Name, long Elements)> Workspace()
    {
        if (IsPlanarView)
            yield break;
        yield return ($"the 3-D input as 2-D depth slices {Tensor<float>.Format(Planar.InputShape)}", Count(Planar.InputShape));
        yield return ($"the 3-D output with its depths as the batch {Tensor<float>.Format(Planar.OutputShape)}", Count(Planar.OutputShape));
    }

    /// <summary>w as C_out x (C_in/G·kD) x kH x kW: the same memory.</summary>
    public Tensor<T> Weights<T>(Tensor<T> weights) where T : unmanaged, IFloatingPointIeee754<T>
        => new(Planar.WeightShape, weights.Data);

    /// <summary>The input as the planar convolution reads it: the same memory, or (3-D) its depth slices a_c[od·sD + kd·dD - pD] at sample (n, od), channel (c, kd).</summary>
    public Tensor<T> Input<T>(Tensor<T> input) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsPlanarView)
            return new(Planar.InputShape, input.Data);
        var slices = Tensor<T>.Zeros(Planar.InputShape);
        ForEachDepthTap((from, to) => Array.Copy(input.Data, from, slices.Data, to, PlaneSize(_input)));
        return slices;
    }

    /// <summary>An output-shaped tensor (z, or an error δ) as the planar convolution has it: the same memory, or (3-D) with depth od moved into the batch.</summary>
    public Tensor<T> Output<T>(Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var planar = OutputBuffer(output);
        MoveOutputPlanes(output, planar, toPlanar: true);
        return planar;
    }

    /// <summary>Where the planar convolution writes an output-shaped result for <paramref name="output"/>: itself, or (3-D) a buffer for <see cref="RaiseOutput{T}"/>.</summary>
    public Tensor<T> OutputBuffer<T>(Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
        => IsPlanarView ? new(Planar.OutputShape, output.Data) : Tensor<T>.Zeros(Planar.OutputShape);

    /// <summary>Moves a planar output-shaped result back to the N-dimensional layout (nothing to do below 3-D).</summary>
    public void RaiseOutput<T>(Tensor<T> planar, Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
        => MoveOutputPlanes(output, planar, toPlanar: false);

    /// <summary>Where the planar convolution writes dJ/d(its input) for <paramref name="inputGradient"/>: itself, or (3-D) a buffer for <see cref="RaiseInputGradient{T}"/>.</summary>
    public Tensor<T> InputGradientBuffer<T>(Tensor<T> inputGradient) where T : unmanaged, IFloatingPointIeee754<T>
        => IsPlanarView ? new(Planar.InputShape, inputGradient.Data) : Tensor<T>.Zeros(Planar.InputShape);

    /// <summary>
    /// The adjoint of <see cref="Input{T}"/>: dJ/da_c[d] = Σ over the (od, kd) with od·sD + kd·dD - pD = d of the
    /// slice's gradient, in order of od and kd (nothing to do below 3-D).
    /// </summary>
    public void RaiseInputGradient<T>(Tensor<T> planar, Tensor<T> inputGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsPlanarView)
            return;
        Array.Clear(inputGradient.Data);
        int plane = PlaneSize(_input);
        ForEachDepthTap((from, to) =>
        {
            var target = inputGradient.Data.AsSpan(from, plane);
            var source = planar.Data.AsSpan(to, plane);
            for (int i = 0; i < plane; i++)
                target[i] += source[i];
        });
    }

    /// <summary>(offset of a_c[n, d] in the input, offset of slice (n·OD + od, c·kD + kd)) for every depth tap inside the input.</summary>
    private void ForEachDepthTap(Action<int, int> pair)
    {
        int depth = _input[0], kernelDepth = _kernel[0], outputDepth = _output[0], plane = PlaneSize(_input);
        for (int n = 0; n < _batch; n++)
            for (int od = 0; od < outputDepth; od++)
                for (int c = 0; c < _inChannels; c++)
                    for (int kd = 0; kd < kernelDepth; kd++)
                    {
                        int d = od * _depthStride + kd * _depthDilation - _depthPadding;
                        if (d >= 0 && d < depth)
                            pair(((n * _inChannels + c) * depth + d) * plane, (((n * outputDepth + od) * _inChannels + c) * kernelDepth + kd) * plane);
                    }
    }

    /// <summary>Copies every plane [n, k, od] of N x C_out x OD x ... to or from plane [n·OD + od, k] of the planar layout (nothing to do below 3-D).</summary>
    private void MoveOutputPlanes<T>(Tensor<T> output, Tensor<T> planar, bool toPlanar) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsPlanarView)
            return;
        int outputDepth = _output[0], plane = PlaneSize(_output);
        for (int n = 0; n < _batch; n++)
            for (int k = 0; k < _outChannels; k++)
                for (int od = 0; od < outputDepth; od++)
                {
                    int nd = ((n * _outChannels + k) * outputDepth + od) * plane, nc = ((n * outputDepth + od) * _outChannels + k) * plane;
                    if (toPlanar)
                        Array.Copy(output.Data, nd, planar.Data, nc, plane);
                    else
                        Array.Copy(planar.Data, nc, output.Data, nd, plane);
                }
    }

    private static int Depth(int[] size) => size.Length == 3 ? size[0] : 1;

    private static int[] Plane(int[] size) => size.Length == 1 ? [1, size[0]] : size[^2..];

    private static int PlaneSize(int[] size) => Plane(size)[0] * Plane(size)[1];

    private static long Count(int[] shape) => shape.Aggregate(1L, (p, d) => p * d);
}
