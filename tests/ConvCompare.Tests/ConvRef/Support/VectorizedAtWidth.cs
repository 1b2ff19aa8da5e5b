using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Runner;
using global::ConvRef;
using global::ConvRef.Kernels;

namespace ConvCompare.Tests.ConvRef.Support;

/// <summary>
/// ConvRef's vectorized algorithm held to one SIMD width, as an engine of the harness: the public
/// entry points take the widest width the CPU accelerates, so the narrower ones are reached only here.
/// A width the CPU does not accelerate falls back to the next narrower one; callers skip it first.
/// </summary>
/// <param name="bits">Widest vector width the kernels may use: 512, 256 or 128.</param>
internal sealed class VectorizedAtWidth(int bits) : ILayerEngine
{
    public string Name => $"vectorized {bits}-bit";

    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) =>
        dtype == CaseDtype.F32 ? Compute<float>(config, inputs) : Compute<double>(config, inputs);

    private CaseOutputs Compute<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var geometry = Conv2dGeometry.Create(config.InputShape, config.WeightShape, config.Spec);
        var a = inputs.Input.Cast<T>();
        var w = inputs.Weights.Cast<T>();
        var y = Tensor<T>.Zeros(config.OutputShape);
        VectorizedConv2d.Forward(geometry, a, w, inputs.Bias?.Cast<T>(), y, bits);
        var gradients = new Conv2dGradients<T>(Tensor<T>.Zeros(config.InputShape), Tensor<T>.Zeros(config.WeightShape),
            config.Bias ? Tensor<T>.Zeros(config.Shape.Cout) : null);
        VectorizedConv2d.Backward(geometry, a, w, inputs.Upstream.Cast<T>(), ConvRefEngine.Options<T>(config, inputs), gradients, bits);
        return new CaseOutputs(y.Cast<double>(), gradients.Input.Cast<double>(), gradients.Weights.Cast<double>(), gradients.Bias?.Cast<double>());
    }
}
