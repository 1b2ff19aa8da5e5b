using System.Numerics;
using ConvRef;

namespace ConvCompare.Training;

/// <summary>The maximum-pooling backward pass the network uses; a seam so a test can plant a wrong one.</summary>
internal delegate Tensor<T> MaxPoolBackward<T>(Tensor<T> delta, int[] argMax, IReadOnlyList<int> inputShape)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>What the forward pass keeps for the backward pass (the derivation's saved a^(l-1) and z^(l-1)).</summary>
internal sealed record CnnForwardPass<T>(
    Tensor<T> Images, Tensor<T> Z1, Tensor<T> A1, Tensor<T> Pooled, int[] ArgMax, Tensor<T> Z2, Tensor<T> Features, Tensor<T> Logits)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>One training step's loss and gradients, in <see cref="SmallCnn.Parameters"/> order.</summary>
internal sealed record CnnStep<T>(T Loss, Tensor<T>[] Gradients, CnnForwardPass<T> Forward, Tensor<T> Probabilities)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary><see cref="SmallCnn"/> built from ConvRef's layers, trained with ConvRef's <see cref="Sgd{T}"/>.</summary>
internal sealed class ConvRefCnn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Activation Relu = new(ActivationKind.ReLU);
    private readonly Sgd<T> _optimizer;
    private readonly MaxPoolBackward<T> _maxPoolBackward;

    /// <param name="initial">Initial values in <see cref="SmallCnn.Parameters"/> order (rounded to <typeparamref name="T"/>).</param>
    /// <param name="optimizer">The optimizer, fresh.</param>
    /// <param name="maxPoolBackward">Replaces <see cref="MaxPool2d.Backward{T}"/>; tests only.</param>
    public ConvRefCnn(double[][] initial, Sgd<T> optimizer, MaxPoolBackward<T>? maxPoolBackward = null)
    {
        Parameters = [.. SmallCnn.Parameters.Select((p, k) => new Tensor<T>(p.Shape, [.. initial[k].Select(T.CreateChecked)]))];
        _optimizer = optimizer;
        _maxPoolBackward = maxPoolBackward ?? MaxPool2d.Backward;
    }

    /// <summary>conv1.weight, conv1.bias, conv2.weight, conv2.bias, dense.weight, dense.bias.</summary>
    public Tensor<T>[] Parameters { get; }

    /// <summary>The optimizer's velocity of each parameter tensor (zeros before the first step).</summary>
    public double[][] Velocities() =>
        [.. Parameters.Select((p, k) => _optimizer.Steps == 0 ? new double[p.Length] : _optimizer.Velocity(k).ToArray().Select(double.CreateChecked).ToArray())];

    /// <summary>Forward pass, Eq 1 for both convolutions.</summary>
    /// <param name="images">N x 1 x 16 x 16.</param>
    public CnnForwardPass<T> Forward(Tensor<T> images)
    {
        var z1 = Conv2d.Forward(images, Parameters[0], Parameters[1], SmallCnn.Conv1Spec);
        var a1 = Map(z1, Relu.Apply);
        var (pooled, argMax) = MaxPool2d.Forward(a1);
        var z2 = Conv2d.Forward(pooled, Parameters[2], Parameters[3], SmallCnn.Conv2Spec);
        var features = Flatten.Forward(Map(z2, Relu.Apply));
        var logits = Dense.Forward(features, Parameters[4], Parameters[5]);
        return new CnnForwardPass<T>(images, z1, a1, pooled, argMax, z2, features, logits);
    }

    /// <summary>Loss and gradients for one mini-batch (forward, then the errors back through every layer: dense, Eq 6/8 through ReLU, pooling, Eq 7/9), without updating.</summary>
    public CnnStep<T> ComputeGradients(Tensor<T> images, IReadOnlyList<int> labels)
    {
        var pass = Forward(images);
        var (loss, probabilities) = SoftmaxCrossEntropy.Forward(pass.Logits, labels);
        var delta3 = SoftmaxCrossEntropy.Backward(probabilities, labels);
        var dense = Dense.Backward(pass.Features, Parameters[4], delta3,
            new BackwardOptions<T> { PreviousActivation = Relu, PreviousZ = Flatten.Forward(pass.Z2) });
        var delta2 = Flatten.Backward(dense.Input, pass.Z2.Shape);
        var conv2 = Conv2d.Backward(pass.Pooled, Parameters[2], hasBias: true, delta2, SmallCnn.Conv2Spec);
        var dA1 = _maxPoolBackward(conv2.Input, pass.ArgMax, pass.A1.Shape);
        var delta1 = Map(pass.Z1, dA1, (z, d) => d * Relu.Derivative(z));
        var conv1 = Conv2d.Backward(images, Parameters[0], hasBias: true, delta1, SmallCnn.Conv1Spec);
        return new CnnStep<T>(loss, [conv1.Weights, conv1.Bias!, conv2.Weights, conv2.Bias!, dense.Weights, dense.Bias], pass, probabilities);
    }

    /// <summary>The SGD update with a step's gradients.</summary>
    public void Update(CnnStep<T> step) => _optimizer.Step(Parameters, step.Gradients);

    /// <summary>Softmax probabilities, N x 8.</summary>
    public Tensor<T> Probabilities(Tensor<T> images) => SoftmaxCrossEntropy.Softmax(Forward(images).Logits);

    internal static Tensor<T> Map(Tensor<T> x, Func<T, T> f)
    {
        var result = Tensor<T>.Zeros([.. x.Shape]);
        for (int i = 0; i < x.Length; i++)
            result.Data[i] = f(x.Data[i]);
        return result;
    }

    internal static Tensor<T> Map(Tensor<T> x, Tensor<T> y, Func<T, T, T> f)
    {
        var result = Tensor<T>.Zeros([.. x.Shape]);
        for (int i = 0; i < x.Length; i++)
            result.Data[i] = f(x.Data[i], y.Data[i]);
        return result;
    }
}
