using System.Numerics;
using ConvRef;

namespace ConvCompare.Training;

/// <summary>The magnitudes a training step's rounding errors scale with (see <see cref="ParityBound"/>).</summary>
/// <param name="Gradients">For each parameter tensor, elementwise: the gradient the network would compute with every operand replaced by its absolute value, seeded as <see cref="ParityBound"/> derives.</param>
/// <param name="Loss">The loss's error scale L_m = mean_n(2 max_c |z|_m[n,c] + 1 + 2 range_n) + J.</param>
internal sealed record StepMagnitudes(double[][] Gradients, double Loss);

/// <summary>
/// The "absolute-value network": the same forward and backward pass run on |x|, |w|, |b| with the
/// ReLU masks and pooling choices of the real pass fixed. Higham's componentwise analysis (|fl(sum) -
/// sum| &lt;= gamma_K sum |x_i y_i|, chained through the layers) bounds every computed quantity's
/// rounding error by gamma_K times the matching quantity of this network. It is computed in float64
/// whatever the training dtype, so its own rounding (relative, below gamma_K for u = 2^-53, about 2e-12)
/// is negligible next to the bound.
/// </summary>
internal static class RoundingMagnitudes
{
    private static readonly Activation Relu = new(ActivationKind.ReLU);

    public static StepMagnitudes Compute<T>(IReadOnlyList<Tensor<T>> parameters, CnnStep<T> step, IReadOnlyList<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pass = step.Forward;
        var p = parameters.Select(Absolute).ToArray();
        var z1 = pass.Z1.Cast<double>();
        var z2 = pass.Z2.Cast<double>();
        Tensor<double> Masked(Tensor<double> z, Tensor<double> magnitude) => ConvRefCnn<double>.Map(z, magnitude, (zi, m) => Relu.Derivative(zi) * m);

        // Forward magnitudes: z_m = |w| (x) a_m + |b|, masked where the real ReLU is off; pooling takes the real arg-max.
        var images = Absolute(pass.Images);
        var a1 = Masked(z1, Conv2d.Forward(images, p[0], p[1], SmallCnn.Conv1Spec));
        var pooled = Tensor<double>.Zeros([.. pass.Pooled.Shape]);
        for (int o = 0; o < pooled.Length; o++)
            pooled.Data[o] = a1.Data[pass.ArgMax[o]];
        var features = Flatten.Forward(Masked(z2, Conv2d.Forward(pooled, p[2], p[3], SmallCnn.Conv2Spec)));
        var logits = Dense.Forward(features, p[4], p[5]);

        // Seed (dJ/dz at the logits): backward rounding |P - Y|, softmax rounding P (1 + range), forward error 1/2 max_c z_m.
        int n = labels.Count, classes = ShapeDataset.ClassCount;
        var seed = Tensor<double>.Zeros(n, classes);
        double lossScale = 0;
        for (int s = 0; s < n; s++)
        {
            var z = pass.Logits.Data.AsSpan(s * classes, classes).ToArray();
            double range = double.CreateChecked(z.Max() - z.Min());
            double zMax = logits.Data.AsSpan(s * classes, classes).ToArray().Max();
            lossScale += 2 * zMax + 1 + 2 * range;
            for (int c = 0; c < classes; c++)
            {
                double prob = double.CreateChecked(step.Probabilities.Data[s * classes + c]);
                double error = Math.Abs(prob - (labels[s] == c ? 1 : 0)) + prob * (1 + range) + 0.5 * zMax;
                seed.Data[s * classes + c] = error / n;
            }
        }

        var dense = Dense.Backward(features, p[4], seed, new BackwardOptions<double> { PreviousActivation = Relu, PreviousZ = Flatten.Forward(z2) });
        var conv2 = Conv2d.Backward(pooled, p[2], hasBias: true, Flatten.Backward(dense.Input, z2.Shape), SmallCnn.Conv2Spec);
        var delta1 = Masked(z1, MaxPool2d.Backward(conv2.Input, pass.ArgMax, z1.Shape));
        var conv1 = Conv2d.Backward(images, p[0], hasBias: true, delta1, SmallCnn.Conv1Spec);
        return new StepMagnitudes(
            [conv1.Weights.Data, conv1.Bias!.Data, conv2.Weights.Data, conv2.Bias!.Data, dense.Weights.Data, dense.Bias.Data],
            lossScale / n + double.CreateChecked(step.Loss));
    }

    private static Tensor<double> Absolute<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvRefCnn<double>.Map(x.Cast<double>(), Math.Abs);
}
