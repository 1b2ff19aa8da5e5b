using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvRef.Kernels;

/// <summary>The element-wise steps that finish a backward pass, shared by both implementations.</summary>
internal static class BackwardEpilogue
{
    /// <summary>Eq 4/6: delta^(l-1) = dJ/da .* g'(z^(l-1)), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyByActivationDerivative<T>(Span<T> inputGradient, ReadOnlySpan<T> previousZ, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation.Kind == ActivationKind.Identity)
            return;
        for (int i = 0; i < inputGradient.Length; i++)
            inputGradient[i] *= activation.Derivative(previousZ[i]);
    }

    /// <summary>The derivation's <c>np.clip(gii, -clipvalue, clipvalue)</c> on dJ/dw, in place; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Clip<T>(Span<T> weightGradient, T clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < weightGradient.Length; i++)
        {
            T g = weightGradient[i];
            if (g > clipValue)
                weightGradient[i] = clipValue;
            else if (g < -clipValue)
                weightGradient[i] = -clipValue;
        }
    }

    /// <summary>Applies the options: Eq 6 when an activation and z^(l-1) are given, clipping when a clip value is.</summary>
    public static void Finish<T>(Conv2dGradients<T> gradients, BackwardOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.PreviousZ is { } z)
            MultiplyByActivationDerivative<T>(gradients.Input.Data, z.Data, options.PreviousActivation);
        if (options.ClipValue is { } clip)
            Clip<T>(gradients.Weights.Data, clip);
    }
}
