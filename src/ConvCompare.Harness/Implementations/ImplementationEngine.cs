using System.Numerics;
using ConvCompare.Cases;
using ConvCompare.Runner;
using ConvRef;

namespace ConvCompare.Implementations;

/// <summary>
/// A registered <see cref="IConv2dImplementation"/> as the harness runs it: the case's values narrowed
/// to the dtype (exactly: they are representable), outputs the harness owns and fills with NaN first,
/// forward then backward, and the results widened to float64 (exact) for judging. A case of the family
/// goes to an implementation that declares its operation and padding mode
/// (<see cref="IConvolutionFamilyImplementation"/>), a second-order case to one that declares its
/// operation's double backward (<see cref="ISecondOrderImplementation"/>), and no case to one that lacks
/// a feature or dtype it needs.
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
        if (config.Family is null && config.Order == 1)
            return (Conv2dProblem.Of(config).Requires & ~Implementation.Features) == 0;
        var problem = ConvolutionProblem.Of(config);
        return (problem.Requires & ~Implementation.Features) == 0
               && (config.Family is null || Implementation is IConvolutionFamilyImplementation family
                   && family.Operations.Contains(problem.Operation) && family.PaddingModes.Contains(problem.PaddingMode))
               && (config.Order == 1 || Implementation is ISecondOrderImplementation secondOrder
                   && secondOrder.SecondOrderOperations.Contains(problem.Operation));
    }

    /// <inheritdoc />
    public CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        return dtype == CaseDtype.F32 ? Compute<float>(config, inputs) : Compute<double>(config, inputs);
    }

    /// <summary>The public dtype of a case dtype.</summary>
    public static Conv2dDtype DtypeOf(CaseDtype dtype) => dtype == CaseDtype.F32 ? Conv2dDtype.Float32 : Conv2dDtype.Float64;

    private CaseOutputs Compute<T>(CaseConfig config, CaseInputs inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Narrow<T>(inputs.Input), w = Narrow<T>(inputs.Weights), b = Narrow<T>(inputs.Bias), dy = Narrow<T>(inputs.Upstream);
        T[] z = Narrow<T>(config.Activation == ActivationKind.Identity ? null : inputs.PreviousZ);
        int[] inputShape = config.InputShape, weightShape = config.WeightShape, outputShape = config.OutputShape;
        T[] y = NaNs<T>(outputShape), dx = NaNs<T>(inputShape), dw = NaNs<T>(weightShape);
        T[] db = NaNs<T>(config.Bias ? [config.Shape.Cout] : [0]);
        if (config.Family is null)
        {
            var problem = Conv2dProblem.Of(config);
            Implementation.Forward<T>(problem, a, w, b, y);
            Implementation.Backward<T>(problem, a, w, dy, z, dx, dw, db);
        }
        else
        {
            var problem = ConvolutionProblem.Of(config);
            var family = Declared<IConvolutionFamilyImplementation>("the convolution family");
            family.Forward<T>(problem, a, w, b, y);
            family.Backward<T>(problem, a, w, dy, z, dx, dw, db);
        }
        var outputs = new CaseOutputs(Widen(y, outputShape), Widen(dx, inputShape), Widen(dw, weightShape),
            config.Bias ? Widen(db, [config.Shape.Cout]) : null);
        if (inputs.SecondOrder is not { } gg)
            return outputs;
        T[] d2x = NaNs<T>(inputShape), d2w = NaNs<T>(weightShape), d2dy = NaNs<T>(outputShape);
        T[] d2z = NaNs<T>(z.Length == 0 ? [0] : inputShape);
        Declared<ISecondOrderImplementation>("a double backward").DoubleBackward<T>(ConvolutionProblem.Of(config), a, w, dy, z,
            Narrow<T>(gg.Input), Narrow<T>(gg.Weights), Narrow<T>(gg.Bias), d2x, d2w, d2dy, d2z);
        return outputs with
        {
            SecondOrder = new SecondOrderOutputs(Widen(d2x, inputShape), Widen(d2w, weightShape), Widen(d2dy, outputShape))
            {
                PreviousZ = z.Length == 0 ? null : Widen(d2z, inputShape),
            },
        };
    }

    /// <summary>The implementation as the declaration a case needs; <see cref="Supports"/> keeps other cases from it.</summary>
    private TDeclaration Declared<TDeclaration>(string what) where TDeclaration : class => Implementation as TDeclaration
        ?? throw new InvalidOperationException($"{Implementation.Name} declares no {what}; the case should not have been given to it");

    private static T[] Narrow<T>(Tensor<double>? tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        tensor is null ? [] : Array.ConvertAll(tensor.Data, T.CreateChecked);

    private static T[] NaNs<T>(int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new T[shape.Aggregate(1, (p, n) => p * n)];
        Array.Fill(data, T.NaN);
        return data;
    }

    private static Tensor<double> Widen<T>(T[] data, int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(shape, Array.ConvertAll(data, double.CreateChecked));
}
