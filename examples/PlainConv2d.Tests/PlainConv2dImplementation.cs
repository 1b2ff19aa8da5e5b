using System.Numerics;
using ConvCompare.Implementations;

namespace PlainConv.Tests;

/// <summary>
/// The registration: <see cref="PlainConv2d"/> behind the harness's implementation interface. It says
/// what the plain layer does not do (float32, dilation, groups, asymmetric padding, the previous
/// layer's activation, gradient clipping), so the harness gives it only the cases it can take.
/// </summary>
/// <param name="name">The name reports use.</param>
/// <param name="plantedBug">Runs the variant with the planted bug.</param>
public sealed class PlainConv2dImplementation(string name = "plain", bool plantedBug = false) : IConv2dImplementation
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public IReadOnlyCollection<Conv2dDtype> Dtypes => [Conv2dDtype.Float64];

    /// <inheritdoc />
    public Conv2dFeatures Features => Conv2dFeatures.Bias | Conv2dFeatures.Stride | Conv2dFeatures.Padding;

    /// <inheritdoc />
    public void Forward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new double[problem.OutputLength];
        Layer(problem).Forward(Doubles(input), problem.Batch, problem.InputChannels, problem.Height, problem.Width, Doubles(weights),
            problem.OutputChannels, problem.KernelHeight, problem.KernelWidth, problem.HasBias ? Doubles(bias) : null, y);
        Copy(y, output);
    }

    /// <inheritdoc />
    public void Backward<T>(Conv2dProblem problem, ReadOnlySpan<T> input, ReadOnlySpan<T> weights, ReadOnlySpan<T> upstream, ReadOnlySpan<T> previousZ,
        Span<T> inputGradient, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] dx = new double[problem.InputLength], dw = new double[problem.WeightLength];
        double[]? db = problem.HasBias ? new double[problem.OutputChannels] : null;
        Layer(problem).Backward(Doubles(input), problem.Batch, problem.InputChannels, problem.Height, problem.Width, Doubles(weights),
            problem.OutputChannels, problem.KernelHeight, problem.KernelWidth, Doubles(upstream), dx, dw, db);
        Copy(dx, inputGradient);
        Copy(dw, weightGradient);
        if (db is not null)
            Copy(db, biasGradient);
    }

    private PlainConv2d Layer(Conv2dProblem p) => new(p.StrideH, p.StrideW, p.PadTop, p.PadLeft, plantedBug);

    private static double[] Doubles<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = double.CreateChecked(values[i]);
        return result;
    }

    private static void Copy<T>(double[] values, Span<T> into) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
            into[i] = T.CreateChecked(values[i]);
    }
}
