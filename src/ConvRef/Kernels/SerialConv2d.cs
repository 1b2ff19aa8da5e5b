using System.Numerics;

namespace ConvRef.Kernels;

/// <summary>
/// The serial implementation: one sample at a time, loops over filters and channels as the derivation's
/// serial numpy version has them, every step a named <see cref="Plane"/> operation. Clarity over speed.
/// </summary>
/// <remarks>
/// Generalized beyond the derivation with the same building blocks: stride s interleaves the error with
/// s-1 zeros, dilation d uses the dilated kernel Interleave(w, d-1, d-1), padding pads the input and
/// crops the padding from dJ/da, groups restrict filter k to the channels of its group.
/// Those structural zeros are no values of the tensors: every pass leaves their products out (the
/// interleave steps passed to <see cref="Plane.ValidCorrelate{T}"/> and <see cref="Plane.FullConvolve{T}"/>),
/// as dJ/da leaves out the zeros the full mode pads δ with, so an infinite input, weight or error
/// propagates as in the definition's sum; with finite values, leaving them out changes no bit.
/// </remarks>
internal static class SerialConv2d
{
    /// <summary>Eq 1 generalized: z^(k) = Σ_c ValidCorrelate(Pad(a_c), Interleave(w_kc, dH-1, dW-1), sH, sW) + b_k, per sample.</summary>
    public static void Forward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T>? bias, Tensor<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = geometry.Spec;
        for (int n = 0; n < geometry.BatchSize; n++)
        {
            var padded = PaddedInput(geometry, input, n);
            for (int k = 0; k < geometry.OutChannels; k++)
            {
                var z = new T[geometry.OutH, geometry.OutW];
                foreach (var (c, channel) in ChannelsOfFilter(geometry, k))
                    Plane.AddInto(z, Plane.ValidCorrelate(padded[channel], DilatedKernel(geometry, weights, k, c), spec.StrideH, spec.StrideW,
                        spec.DilationH - 1, spec.DilationW - 1));
                T b = bias is null ? T.Zero : bias.Data[k];
                WritePlane(output, n, k, z, b);
            }
        }
    }

    /// <summary>dJ/dw (Eq 3/7), dJ/db (Eq 9) and dJ/da (Eq 5/8) sample by sample, then Eq 6 and clipping.</summary>
    public static void Backward<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> weights, Tensor<T> delta,
        BackwardOptions<T> options, Conv2dGradients<T> gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        WeightGradients(geometry, input, delta, gradients.Weights, gradients.Bias);
        InputGradient(geometry, weights, delta, gradients.Input);
        BackwardEpilogue.Finish(gradients, options);
    }

    /// <summary>dJ/dw (Eq 3/7) and, when <paramref name="biasGradient"/> is given, dJ/db (Eq 9), summed over the batch sample by sample.</summary>
    public static void WeightGradients<T>(Conv2dGeometry geometry, Tensor<T> input, Tensor<T> delta, Tensor<T> weightGradient, Tensor<T>? biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Clear(weightGradient.Data);
        if (biasGradient is not null)
            Array.Clear(biasGradient.Data);
        for (int n = 0; n < geometry.BatchSize; n++)
        {
            var deltaPlanes = Planes(delta, n);
            var dw = ComputeWeightGradients(geometry, PaddedInput(geometry, input, n), deltaPlanes);
            for (int k = 0; k < geometry.OutChannels; k++)
                for (int c = 0; c < geometry.InChannelsPerGroup; c++)
                    AddPlane(weightGradient, k, c, dw[k, c]);
            if (biasGradient is not null)
                for (int k = 0; k < geometry.OutChannels; k++)
                    biasGradient.Data[k] += BiasGradient(deltaPlanes[k]);
        }
    }

    /// <summary>dJ/da (Eq 5/8) of every sample into <paramref name="inputGradient"/>: <see cref="BackPropagateError{T}"/> without g'.</summary>
    public static void InputGradient<T>(Conv2dGeometry geometry, Tensor<T> weights, Tensor<T> delta, Tensor<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < geometry.BatchSize; n++)
        {
            var da = BackPropagateError(geometry, Planes(delta, n), weights);
            for (int channel = 0; channel < geometry.InChannels; channel++)
                WritePlane(inputGradient, n, channel, da[channel], T.Zero);
        }
    }

    /// <summary>
    /// Eq 3/7 for one sample: dJ/dw^(k)_c = a_c ⊗ δ^(k), generalized. The valid correlation of the covered
    /// part of the padded input with the interleaved error (its values only as terms) is the gradient of the
    /// dilated kernel (SpanH x SpanW); the real kernel's gradient is that sampled at its taps.
    /// </summary>
    /// <param name="geometry">The shapes.</param>
    /// <param name="paddedInput">Pad(a_c) for each of the C_in channels, PaddedH x PaddedW.</param>
    /// <param name="delta">δ^(k) for each of the C_out filters, OutH x OutW.</param>
    /// <returns>[k, c] -> kH x kW gradient of filter k's channel c (c within the group).</returns>
    public static T[,][,] ComputeWeightGradients<T>(Conv2dGeometry geometry, T[][,] paddedInput, T[][,] delta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = geometry.Spec;
        var result = new T[geometry.OutChannels, geometry.InChannelsPerGroup][,];
        for (int k = 0; k < geometry.OutChannels; k++)
        {
            var interleaved = Plane.Interleave(delta[k], spec.StrideH - 1, spec.StrideW - 1);
            foreach (var (c, channel) in ChannelsOfFilter(geometry, k))
            {
                var covered = Plane.Crop(paddedInput[channel], 0, 0, geometry.CoveredH, geometry.CoveredW);
                var dilatedGradient = Plane.ValidCorrelate(covered, interleaved, 1, 1, spec.StrideH - 1, spec.StrideW - 1);
                result[k, c] = Plane.TakeEvery(dilatedGradient, spec.DilationH - 1, spec.DilationW - 1);
            }
        }
        return result;
    }

    /// <summary>
    /// Eq 5/8 for one sample: dJ/da_c = Σ_k Interleave(δ^(k), sH-1, sW-1) ⊗_f Rot180(Interleave(w_kc, dH-1, dW-1)),
    /// summed over the filters of c's group, with only the values of δ and w as terms (the interleave steps
    /// passed to <see cref="Plane.FullConvolve{T}"/>). The full convolution covers the CoveredH x CoveredW
    /// part of the padded input; cropping the padding leaves the uncovered rows and columns zero.
    /// </summary>
    /// <param name="geometry">The shapes.</param>
    /// <param name="delta">δ^(k) for each of the C_out filters, OutH x OutW.</param>
    /// <param name="weights">w, C_out x (C_in/G) x kH x kW.</param>
    /// <returns>dJ/da for each of the C_in channels, H x W.</returns>
    public static T[][,] BackPropagateError<T>(Conv2dGeometry geometry, T[][,] delta, Tensor<T> weights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = geometry.Spec;
        var full = new T[geometry.InChannels][,];
        for (int channel = 0; channel < geometry.InChannels; channel++)
            full[channel] = new T[geometry.CoveredH, geometry.CoveredW];
        for (int k = 0; k < geometry.OutChannels; k++)
        {
            var interleaved = Plane.Interleave(delta[k], spec.StrideH - 1, spec.StrideW - 1);
            foreach (var (c, channel) in ChannelsOfFilter(geometry, k))
                Plane.AddInto(full[channel], Plane.FullConvolve(interleaved, Plane.Rot180(DilatedKernel(geometry, weights, k, c)),
                    spec.StrideH - 1, spec.StrideW - 1, spec.DilationH - 1, spec.DilationW - 1));
        }
        return [.. full.Select(f => Plane.Crop(f, spec.PadTop, spec.PadLeft, geometry.InH, geometry.InW))];
    }

    /// <summary>Eq 9 for one sample and filter: dJ/db^(k) = Σ_i Σ_j δ^(k)_ij.</summary>
    public static T BiasGradient<T>(T[,] delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (T d in delta)
            sum += d;
        return sum;
    }

    /// <summary>The input channels filter k sees: (c within the group, channel index in the input).</summary>
    private static IEnumerable<(int C, int Channel)> ChannelsOfFilter(Conv2dGeometry geometry, int k)
    {
        int first = k / geometry.OutChannelsPerGroup * geometry.InChannelsPerGroup;
        for (int c = 0; c < geometry.InChannelsPerGroup; c++)
            yield return (c, first + c);
    }

    private static T[,] DilatedKernel<T>(Conv2dGeometry geometry, Tensor<T> weights, int k, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Plane.Interleave(PlaneOf(weights, k, c), geometry.Spec.DilationH - 1, geometry.Spec.DilationW - 1);

    private static T[][,] PaddedInput<T>(Conv2dGeometry geometry, Tensor<T> input, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = geometry.Spec;
        return [.. Planes(input, n).Select(a => Plane.Pad(a, spec.PadTop, spec.PadBottom, spec.PadLeft, spec.PadRight))];
    }

    private static T[][,] Planes<T>(Tensor<T> tensor, int n) where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, tensor.Shape[1]).Select(c => PlaneOf(tensor, n, c))];

    private static T[,] PlaneOf<T>(Tensor<T> tensor, int n, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = new T[tensor.Shape[2], tensor.Shape[3]];
        for (int i = 0; i < tensor.Shape[2]; i++)
            for (int j = 0; j < tensor.Shape[3]; j++)
                plane[i, j] = tensor[n, c, i, j];
        return plane;
    }

    private static void WritePlane<T>(Tensor<T> tensor, int n, int c, T[,] plane, T offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < plane.GetLength(0); i++)
            for (int j = 0; j < plane.GetLength(1); j++)
                tensor[n, c, i, j] = plane[i, j] + offset;
    }

    private static void AddPlane<T>(Tensor<T> tensor, int n, int c, T[,] plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < plane.GetLength(0); i++)
            for (int j = 0; j < plane.GetLength(1); j++)
                tensor[n, c, i, j] += plane[i, j];
    }
}
