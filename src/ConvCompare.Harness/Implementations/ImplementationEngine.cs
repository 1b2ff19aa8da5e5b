using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// A registered <see cref="IConv2dImplementation"/> as the harness runs it: the case's values narrowed
/// to the dtype (exactly: they are representable), outputs the harness owns and fills with NaN first,
/// forward then backward, and the results widened to float64 (exact) for judging. Family and second-order
/// cases go to implementations with <see cref="IConvRefExtensions"/> only.
/// </summary>
/// <param name="implementation">The implementation.</param>
internal sealed class ImplementationEngine(IConv2dImplementation implementation) : IThreadedEngine
{
    /// <summary>The implementation it runs.</summary>
    public IConv2dImplementation Implementation { get; } = implementation;

    /// <inheritdoc />
    public string Name => Implementation.Name;

    /// <inheritdoc />
    /// <remarks>1 for an implementation that does not promise thread-count independence, so it is never checked for it.</remarks>
    public int Threads => Implementation is IMultithreadedConv2dImplementation threaded ? threaded.Threads : 1;

    /// <inheritdoc />
    public ILayerEngine WithThreads(int threads) =>
        Implementation is IMultithreadedConv2dImplementation threaded ? new ImplementationEngine(threaded.WithThreads(threads)) : this;

    /// <inheritdoc />
    public bool Supports(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Implementation.Dtypes.Contains(DtypeOf(config.Dtype)))
            return false;
        if (config.Family is not null || config.Order == 2)
            return Implementation is IConvRefExtensions;
        return (Conv2dProblem.Of(config).Requires & ~Implementation.Features) == 0;
    }

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = config.Family is not null ? Extensions.ComputeFamily(config, inputs, dtype)
            : dtype == CaseDtype.F32 ? Compute<float>(config, Conv2dProblem.Of(config), inputs) : Compute<double>(config, Conv2dProblem.Of(config), inputs);
        return inputs.SecondOrder is null ? outputs : outputs with { SecondOrder = Extensions.DoubleBackward(config, inputs, dtype) };
    }

    private IConvRefExtensions Extensions => Implementation as IConvRefExtensions
        ?? throw new InvalidOperationException($"{Implementation.Name} computes conv2d's first order only; the case should not have been given to it");

    /// <summary>The public dtype of a case dtype.</summary>
    public static Conv2dDtype DtypeOf(CaseDtype dtype) => dtype == CaseDtype.F32 ? Conv2dDtype.Float32 : Conv2dDtype.Float64;

    private CaseOutputs Compute<T>(CaseConfig config, Conv2dProblem problem, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Narrow<T>(inputs.Input), w = Narrow<T>(inputs.Weights), b = Narrow<T>(inputs.Bias), dy = Narrow<T>(inputs.Upstream);
        T[] z = Narrow<T>(config.Activation == ActivationKind.Identity ? null : inputs.PreviousZ);
        T[] y = NaNs<T>(problem.OutputLength), dx = NaNs<T>(problem.InputLength), dw = NaNs<T>(problem.WeightLength);
        T[] db = NaNs<T>(config.Bias ? config.Shape.Cout : 0);
        Implementation.Forward<T>(problem, a, w, b, y);
        Implementation.Backward<T>(problem, a, w, dy, z, dx, dw, db);
        return new CaseOutputs(Widen(y, config.OutputShape), Widen(dx, config.InputShape), Widen(dw, config.WeightShape),
            config.Bias ? Widen(db, [config.Shape.Cout]) : null);
    }

    private static T[] Narrow<T>(Tensor<double>? tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        tensor is null ? [] : Array.ConvertAll(tensor.Data, T.CreateChecked);

    private static T[] NaNs<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new T[length];
        Array.Fill(data, T.NaN);
        return data;
    }

    private static Tensor<double> Widen<T>(T[] data, int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(shape, Array.ConvertAll(data, double.CreateChecked));
}
