using System.Numerics;
using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>
/// ConvRef, the implementation under test, with one of its two algorithms, called through the public
/// entry points a user calls: for a case with an even value seed the allocating <see cref="Conv2d.Forward{T}"/>
/// and <see cref="Conv2d.Backward{T}"/>, for an odd one <see cref="Conv2d.ForwardInto{T}"/> and
/// <see cref="Conv2d.BackwardInto{T}"/> into tensors filled with NaN first, so a result the entry point
/// failed to overwrite cannot pass. Both kinds are judged by every sweep, and <c>check</c> repeats the
/// kind a case had.
/// </summary>
/// <param name="algorithm">The algorithm this engine runs.</param>
/// <param name="threads">Most threads the vectorized algorithm uses (<see cref="Conv2dLimits.MaxThreads"/>); null for every processor. The serial algorithm runs on one.</param>
internal sealed class ConvRefEngine(Conv2dAlgorithm algorithm, int? threads = null) : IThreadedEngine
{
    /// <summary>The algorithm this engine runs.</summary>
    public Conv2dAlgorithm Algorithm { get; } = algorithm;

    /// <inheritdoc />
    public string Name => Algorithm == Conv2dAlgorithm.Serial ? "serial" : "vectorized";

    /// <inheritdoc />
    /// <remarks>Never more than the machine has: the vectorized algorithm runs no more threads than processors.</remarks>
    public int Threads => Algorithm == Conv2dAlgorithm.Serial ? 1 : Math.Min(threads ?? Environment.ProcessorCount, Environment.ProcessorCount);

    /// <inheritdoc />
    public ILayerEngine WithThreads(int count) => new ConvRefEngine(Algorithm, count);

    /// <summary>Whether the case goes through the caller-owned-output entry points.</summary>
    public static bool UsesInto(CaseConfig config) => (config.ValueSeed & 1) == 1;

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype) =>
        dtype == CaseDtype.F32 ? Compute<float>(config, inputs) : Compute<double>(config, inputs);

    private CaseOutputs Compute<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = inputs.Input.Cast<T>();
        var w = inputs.Weights.Cast<T>();
        var b = inputs.Bias?.Cast<T>();
        var delta = inputs.Upstream.Cast<T>();
        var limits = new Conv2dLimits { MaxThreads = Threads };
        var options = Options<T>(config, inputs);
        Tensor<T> y;
        Conv2dGradients<T> grads;
        if (UsesInto(config))
        {
            y = NaNs<T>(config.OutputShape);
            Conv2d.ForwardInto(a, w, b, config.Spec, y, Algorithm, limits);
            grads = new Conv2dGradients<T>(NaNs<T>(config.InputShape), NaNs<T>(config.WeightShape), config.Bias ? NaNs<T>(config.Shape.Cout) : null);
            Conv2d.BackwardInto(a, w, delta, config.Spec, grads, options, Algorithm, limits);
        }
        else
        {
            y = Conv2d.Forward(a, w, b, config.Spec, Algorithm, limits);
            grads = Conv2d.Backward(a, w, config.Bias, delta, config.Spec, options, Algorithm, limits);
        }
        return new CaseOutputs(y.Cast<double>(), grads.Input.Cast<double>(), grads.Weights.Cast<double>(), grads.Bias?.Cast<double>());
    }

    /// <summary>The backward options of a case in T: the activation of the layer below with its z^(l-1), and the clip value of dJ/dw.</summary>
    public static BackwardOptions<T> Options<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T> => new()
    {
        PreviousActivation = config.ConvRefActivation,
        PreviousZ = inputs.PreviousZ?.Cast<T>(),
        ClipValue = config.Clip is { } c ? T.CreateChecked(c) : null,
    };

    private static Tensor<T> NaNs<T>(params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new T[shape.Aggregate(1, (p, d) => p * d)];
        Array.Fill(data, T.NaN);
        return new Tensor<T>(shape, data);
    }
}
