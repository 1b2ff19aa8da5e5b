using ConvCompare.Numerics;

namespace ConvCompare.Training;

/// <summary>
/// How far ConvRef's and TorchSharp's training runs may drift apart through rounding alone, step by step.
/// </summary>
/// <remarks>
/// <para>Both sides compute the same real-number function in a different order, so each computed quantity
/// is within gamma_K * (its magnitude in the absolute-value network) of the exact one, where
/// gamma_K = K u / (1 - K u) (Higham, Accuracy and Stability of Numerical Algorithms, 3.1 and 3.5), u is
/// the unit roundoff of the dtype and K the number of roundings on the longest chain from the images to a
/// parameter's gradient: K = 228 forward (conv1 9 + 1, conv2 72 + 1, dense 144 + 1) + 11 softmax (C + 3)
/// + 2 (p - y, / N) + 8 (theta^T delta) + 144 (conv2's full convolution, Eq 8) + 256 N (conv1's weight
/// gradient sums N * 16 * 16 products, Eq 7). The magnitudes come from <see cref="RoundingMagnitudes"/>.
/// The difference of two such results is at most twice the bound.</para>
/// <para>Per step t and parameter element i, with g_m the gradient magnitude, mu the momentum, lr the
/// learning rate, v the velocity and p the parameter after the step (clipping is 1-Lipschitz, so it
/// never enlarges a difference):
/// <code>
/// EV_t = mu EV_(t-1) + 2 gamma_K g_m + 2 gamma_2 (mu |v_(t-1)| + |g|)     velocity: v = mu v + g
/// EP_t = EP_(t-1) + lr EV_t + 2 gamma_2 (|p_t| + lr |v_t|)               parameter: p = p - lr v
/// </code>
/// and the parameters must satisfy |p_ConvRef - p_TorchSharp| &lt;= EP_t elementwise. The loss at step t
/// (computed at the parameters of step t-1) must satisfy
/// |J_ConvRef - J_TorchSharp| &lt;= 2 gamma_K L_m + sum_i |dJ/dp_i| EP_(t-1),i, the second term being the
/// first-order effect of the parameters already differing.</para>
/// <para>What the bound leaves out, and why: the gradients of step t are evaluated at parameters that
/// already differ by up to EP_(t-1), which changes them by H * (p difference) (H the Hessian of the loss).
/// Linearised, the difference then evolves as e_t = (I - lr H) e_(t-1) + r_t; while SGD trains stably
/// (0 &lt;= lr * lambda(H) &lt;= 2) every factor |1 - lr lambda| is at most 1, so earlier differences are not
/// amplified and the accumulated difference is at most the sum of the injected r_t, which is what EP
/// sums. This is why the bound grows linearly in t. A run that leaves the stable regime, or crosses a
/// ReLU or max-pooling kink between the two sides (a discrete change, likelier in float32), can exceed
/// it without a bug; a real bug (a wrong gradient) exceeds it by orders of magnitude at once.</para>
/// </remarks>
internal sealed class ParityBound
{
    private const int ForwardDepth = (SmallCnn.Kernel * SmallCnn.Kernel + 1)
        + (SmallCnn.Conv1Channels * SmallCnn.Kernel * SmallCnn.Kernel + 1) + (SmallCnn.Features + 1);
    private const int SoftmaxDepth = ShapeDataset.ClassCount + 3;
    private readonly double[][] _velocityBound;
    private readonly double[][] _parameterBound;
    private readonly double _gammaK;
    private readonly double _gamma2;
    private readonly double _learningRate;
    private readonly double _momentum;

    /// <param name="arithmetic">The dtype's rounding (u = 2^-53 for float64, 2^-24 for float32).</param>
    /// <param name="batch">N, the mini-batch size.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="momentum">mu.</param>
    public ParityBound(Arithmetic arithmetic, int batch, double learningRate, double momentum)
    {
        ArgumentNullException.ThrowIfNull(arithmetic);
        AccumulationDepth = ForwardDepth + SoftmaxDepth + 2 + ShapeDataset.ClassCount
            + SmallCnn.Conv2Channels * SmallCnn.Kernel * SmallCnn.Kernel
            + batch * ShapeDataset.Pixels;
        _gammaK = arithmetic.Gamma(AccumulationDepth);
        _gamma2 = arithmetic.Gamma(2);
        _learningRate = learningRate;
        _momentum = momentum;
        _velocityBound = [.. SmallCnn.Parameters.Select(p => new double[p.Shape.Aggregate(1, (a, b) => a * b)])];
        _parameterBound = [.. _velocityBound.Select(v => new double[v.Length])];
    }

    /// <summary>K, the number of roundings on the longest chain.</summary>
    public int AccumulationDepth { get; }

    /// <summary>gamma_K.</summary>
    public double GammaK => _gammaK;

    /// <summary>EP for parameter tensor <paramref name="k"/> after the steps so far.</summary>
    public ReadOnlySpan<double> Parameter(int k) => _parameterBound[k];

    /// <summary>The bound on |J_ConvRef - J_TorchSharp| for the step about to be taken (call before <see cref="Advance"/>).</summary>
    /// <param name="magnitudes">This step's magnitudes.</param>
    /// <param name="gradients">dJ/dp of this step, per tensor.</param>
    public double LossBound(StepMagnitudes magnitudes, IReadOnlyList<double[]> gradients)
    {
        double propagated = 0;
        for (int k = 0; k < gradients.Count; k++)
            for (int i = 0; i < gradients[k].Length; i++)
                propagated += Math.Abs(gradients[k][i]) * _parameterBound[k][i];
        return 2 * _gammaK * magnitudes.Loss + propagated;
    }

    /// <summary>Adds one SGD step's rounding to the bounds.</summary>
    /// <param name="magnitudes">This step's magnitudes.</param>
    /// <param name="gradients">g, per tensor.</param>
    /// <param name="previousVelocities">v before the step (zeros before the first).</param>
    /// <param name="velocities">v after the step.</param>
    /// <param name="parameters">p after the step.</param>
    public void Advance(StepMagnitudes magnitudes, IReadOnlyList<double[]> gradients, IReadOnlyList<double[]> previousVelocities,
        IReadOnlyList<double[]> velocities, IReadOnlyList<double[]> parameters)
    {
        for (int k = 0; k < _parameterBound.Length; k++)
        {
            var ev = _velocityBound[k];
            var ep = _parameterBound[k];
            for (int i = 0; i < ev.Length; i++)
            {
                ev[i] = _momentum * ev[i] + 2 * _gammaK * magnitudes.Gradients[k][i]
                      + 2 * _gamma2 * (_momentum * Math.Abs(previousVelocities[k][i]) + Math.Abs(gradients[k][i]));
                ep[i] += _learningRate * ev[i] + 2 * _gamma2 * (Math.Abs(parameters[k][i]) + _learningRate * Math.Abs(velocities[k][i]));
            }
        }
    }
}
