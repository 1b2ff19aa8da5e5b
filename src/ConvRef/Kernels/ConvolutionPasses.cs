using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>
/// Forward and backward of every convolution of the family, written once on the 2-D engines through
/// <see cref="PlanarLowering"/>, serial or vectorized as the <see cref="PlanarEngine"/> says. Tensors
/// arrive batched (an unbatched input is a batch of one over the same memory).
/// </summary>
/// <remarks>
/// A transposed convolution is computed through its adjoint: the plain convolution with the same
/// stride, padding, dilation and groups whose input has the transposed output's size and whose output
/// has the transposed input's. Its forward pass is that convolution's dJ/da (Eq 8, the full convolution
/// of the interleaved error with Rot180 of the kernel) with x in the place of the error; its dJ/dx is
/// that convolution's forward pass (Eq 1) on dJ/dy; its dJ/dw is Eq 7 with the roles swapped, dJ/dy
/// correlated with x. With output_padding ≥ stride (allowed when the dilation is larger) the adjoint
/// has floor(output_padding / stride) more outputs per axis than x has elements; x is extended by
/// that many zeros, which add exact zero terms only.
/// </remarks>
internal static class ConvolutionPasses
{
    /// <summary>
    /// The plain zero-padded convolution the engines compute for <paramref name="geometry"/>: itself with
    /// zero padding; on the padded input, with no further padding, for the other modes; for a transposed
    /// convolution its adjoint.
    /// </summary>
    public static PlanarLowering Lowering(ConvGeometry geometry)
    {
        var g = geometry;
        int[] kernel = [.. g.KernelSize], stride = [.. g.Stride], dilation = [.. g.Dilation];
        if (g.Transposed)
            return new(g.BatchSize, g.OutChannels, g.InChannels, g.Groups, [.. g.OutputSize], kernel, stride, dilation, [.. g.PadBefore], [.. g.PadAfter]);
        if (g.PaddingMode == PaddingMode.Zeros)
            return new(g.BatchSize, g.InChannels, g.OutChannels, g.Groups, [.. g.InputSize], kernel, stride, dilation, [.. g.PadBefore], [.. g.PadAfter]);
        int[] padded = [.. Enumerable.Range(0, g.Rank).Select(i => g.PadBefore[i] + g.InputSize[i] + g.PadAfter[i])];
        return new(g.BatchSize, g.InChannels, g.OutChannels, g.Groups, padded, kernel, stride, dilation, new int[g.Rank], new int[g.Rank]);
    }

    /// <summary>What a pass allocates besides its results: the lowering's buffers, the engine's, and the padded input (with its gradient) or the extended x.</summary>
    public static IEnumerable<(string Name, long Elements)> Workspace(ConvGeometry geometry, Conv2dAlgorithm algorithm)
    {
        var lowering = Lowering(geometry);
        if (!geometry.Transposed && geometry.PaddingMode != PaddingMode.Zeros)
            yield return ($"the input padded in mode {geometry.PaddingMode.ToString().ToLowerInvariant()} {Tensor<float>.Format(lowering.InputShape)}",
                Count(lowering.InputShape));
        if (geometry.Transposed && Extension(geometry).Any(e => e > 0))
            yield return ($"x extended to the adjoint convolution's output {Tensor<float>.Format(lowering.OutputShape)}", Count(lowering.OutputShape));
        foreach (var part in lowering.Workspace())
            yield return part;
        foreach (var part in ConvValidation.PlanarWorkspace(lowering.Planar, algorithm))
            yield return part;
    }

    /// <summary>The forward pass into <paramref name="output"/>.</summary>
    public static void Forward<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lowering = Lowering(geometry);
        var x = new Tensor<T>([geometry.BatchSize, geometry.InChannels, .. geometry.InputSize], input.Data);
        var y = new Tensor<T>([geometry.BatchSize, geometry.OutChannels, .. geometry.OutputSize], output.Data);
        if (geometry.Transposed)
            TransposedForward(geometry, lowering, x, weights, bias, y, engine);
        else
            Convolve(geometry, lowering, x, weights, bias, y, engine);
    }

    /// <summary>dJ/da, dJ/dw and dJ/db into <paramref name="gradients"/>, then Eq 6 and clipping as <paramref name="options"/> say.</summary>
    public static void Backward<T>(ConvGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta, BackwardOptions<T> options,
        Conv2dGradients<T> gradients, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lowering = Lowering(geometry);
        int[] inputShape = [geometry.BatchSize, geometry.InChannels, .. geometry.InputSize];
        var x = new Tensor<T>(inputShape, input.Data);
        var dy = new Tensor<T>([geometry.BatchSize, geometry.OutChannels, .. geometry.OutputSize], delta.Data);
        var batched = gradients with { Input = new Tensor<T>(inputShape, gradients.Input.Data) };
        if (geometry.Transposed)
            TransposedBackward(geometry, lowering, x, weights, dy, batched, engine);
        else
            ConvolveBackward(geometry, lowering, x, weights, dy, batched, engine);
        BackwardEpilogue.Finish(gradients, options);
    }

    /// <summary>Eq 1: z = Pad(a) ⊛ w + b, the padding done by the engine for zeros and by <see cref="Border.Pad{T}"/> otherwise.</summary>
    private static void Convolve<T>(ConvGeometry geometry, PlanarLowering lowering, Tensor<T> a, Tensor<T> w, Tensor<T>? b, Tensor<T> z, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = geometry.PaddingMode == PaddingMode.Zeros ? a : Border.Pad(a, geometry.PadBefore, geometry.PadAfter, geometry.PaddingMode);
        var planar = lowering.OutputBuffer(z);
        engine.Forward(lowering.Planar, lowering.Input(input), lowering.Weights(w), b, planar);
        lowering.RaiseOutput(planar, z);
    }

    /// <summary>
    /// dJ/dw (Eq 3/7), dJ/db (Eq 9) and dJ/da (Eq 5/8) of the convolution of the padded input; for a
    /// mode other than zeros the padded input's gradient is then folded back onto the input it copied.
    /// </summary>
    private static void ConvolveBackward<T>(ConvGeometry geometry, PlanarLowering lowering, Tensor<T> a, Tensor<T> w, Tensor<T> delta,
        Conv2dGradients<T> gradients, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool copies = geometry.PaddingMode != PaddingMode.Zeros;
        var input = copies ? Border.Pad(a, geometry.PadBefore, geometry.PadAfter, geometry.PaddingMode) : a;
        var paddedGradient = copies ? Tensor<T>.Zeros([.. input.Shape]) : gradients.Input;
        var planarGradient = lowering.InputGradientBuffer(paddedGradient);
        engine.Backward(lowering.Planar, lowering.Input(input), lowering.Weights(w), lowering.Output(delta),
            new Conv2dGradients<T>(planarGradient, lowering.Weights(gradients.Weights), gradients.Bias));
        lowering.RaiseInputGradient(planarGradient, paddedGradient);
        if (copies)
            Border.Fold(paddedGradient, geometry.PadBefore, geometry.PadAfter, geometry.PaddingMode, gradients.Input);
    }

    /// <summary>
    /// The transposed convolution's forward pass is Eq 8 (BackPropagateError): y = Σ_k Interleave(x^(k), s-1)
    /// ⊗_f Rot180(Interleave(w_k, d-1)), cropped by the padding, plus b: the adjoint convolution's dJ/da with x as its error.
    /// </summary>
    private static void TransposedForward<T>(ConvGeometry geometry, PlanarLowering lowering, Tensor<T> x, Tensor<T> w, Tensor<T>? b, Tensor<T> y,
        PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var planar = lowering.InputGradientBuffer(y);
        engine.InputGradient(lowering.Planar, lowering.Weights(w), lowering.Output(Extend(geometry, x)), planar);
        lowering.RaiseInputGradient(planar, y);
        if (b is not null)
            AddBias(y, b);
    }

    /// <summary>
    /// The transposed convolution's backward pass: dJ/dx = dJ/dy ⊛ w (Eq 1, the adjoint convolution's
    /// forward pass); dJ/dw = dJ/dy ⊗ x (Eq 7 with the roles swapped: dJ/dy is the adjoint's input, x its
    /// error); dJ/db = Σ dJ/dy (Eq 9).
    /// </summary>
    private static void TransposedBackward<T>(ConvGeometry geometry, PlanarLowering lowering, Tensor<T> x, Tensor<T> w, Tensor<T> dy,
        Conv2dGradients<T> gradients, PlanarEngine engine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var extended = Extend(geometry, x);
        var input = lowering.Input(dy);
        var dx = ReferenceEquals(extended, x) ? gradients.Input : Tensor<T>.Zeros([.. extended.Shape]);
        var planar = lowering.OutputBuffer(dx);
        engine.Forward(lowering.Planar, input, lowering.Weights(w), null, planar);
        lowering.RaiseOutput(planar, dx);
        if (!ReferenceEquals(dx, gradients.Input))
            Border.Fold(dx, new int[geometry.Rank], Extension(geometry), PaddingMode.Zeros, gradients.Input);
        engine.WeightGradients(lowering.Planar, input, lowering.Output(extended), lowering.Weights(gradients.Weights));
        if (gradients.Bias is { } db)
            BiasGradient(dy, db);
    }

    /// <summary>floor(output_padding / stride) per axis: the adjoint's outputs beyond x's elements.</summary>
    private static int[] Extension(ConvGeometry geometry) =>
        [.. Enumerable.Range(0, geometry.Rank).Select(i => geometry.OutputPadding[i] / geometry.Stride[i])];

    private static Tensor<T> Extend<T>(ConvGeometry geometry, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] extension = Extension(geometry);
        return extension.All(e => e == 0) ? x : Border.Pad(x, new int[geometry.Rank], extension, PaddingMode.Zeros);
    }

    private static void AddBias<T>(Tensor<T> y, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = y.Shape[1], positions = y.Length / (y.Shape[0] * channels);
        for (int nc = 0; nc < y.Shape[0] * channels; nc++)
            foreach (ref T value in y.Data.AsSpan(nc * positions, positions))
                value += b.Data[nc % channels];
    }

    /// <summary>Eq 9: dJ/db_k = Σ_n Σ_positions δ[n, k, ...], sample by sample.</summary>
    private static void BiasGradient<T>(Tensor<T> delta, Tensor<T> biasGradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = delta.Shape[1], positions = delta.Length / (delta.Shape[0] * channels);
        Array.Clear(biasGradient.Data);
        for (int nc = 0; nc < delta.Shape[0] * channels; nc++)
            foreach (T value in delta.Data.AsSpan(nc * positions, positions))
                biasGradient.Data[nc % channels] += value;
    }

    private static long Count(int[] shape) => shape.Aggregate(1L, (p, d) => p * d);
}
