using System.Numerics;

namespace ConvRef;

/// <summary>
/// Softmax followed by the mean cross-entropy against integer class labels, as
/// <c>torch.nn.functional.cross_entropy(z, y)</c>: J = (1/N) sum_n [log sum_c e^(z[n,c]) - z[n, y_n]].
/// </summary>
/// <remarks>
/// The log-sum-exp is taken after subtracting the row maximum m, log sum_c e^(z_c - m), so no
/// exponential overflows and the largest one is exactly 1; the loss of a sample is that minus (z_y - m),
/// the order PyTorch's log_softmax uses. Fusing softmax and loss makes the backward pass
/// dJ/dz = (softmax(z) - onehot(y)) / N, which needs neither division by a probability nor a Jacobian.
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>Forward pass: the mean loss and the softmax probabilities.</summary>
    /// <param name="logits">z, shape N x C.</param>
    /// <param name="labels">y, N class indices in [0, C).</param>
    /// <returns>J, and softmax(z) of shape N x C (what <see cref="Backward{T}"/> needs).</returns>
    /// <exception cref="ArgumentException">The logits are not N x C with N the number of labels, or a label is outside [0, C).</exception>
    public static (T Loss, Tensor<T> Probabilities) Forward<T>(Tensor<T> logits, IReadOnlyList<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, classes) = CheckShapes(logits, labels, nameof(logits));
        var probabilities = Tensor<T>.Zeros(n, classes);
        T total = T.Zero;
        for (int s = 0; s < n; s++)
        {
            var (max, logSum) = SoftmaxRow(logits.Data.AsSpan(s * classes, classes), probabilities.Data.AsSpan(s * classes, classes));
            total += logSum - (logits.Data[s * classes + labels[s]] - max);
        }
        return (total / T.CreateChecked(n), probabilities);
    }

    /// <summary>softmax(z) row by row, for predictions (no labels, no loss).</summary>
    /// <param name="logits">z, shape N x C.</param>
    /// <returns>Shape N x C, each row summing to 1.</returns>
    /// <exception cref="ArgumentException">The logits are not N x C.</exception>
    public static Tensor<T> Softmax<T>(Tensor<T> logits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, classes) = CheckScores(logits, nameof(logits));
        var probabilities = Tensor<T>.Zeros(n, classes);
        for (int s = 0; s < n; s++)
            SoftmaxRow(logits.Data.AsSpan(s * classes, classes), probabilities.Data.AsSpan(s * classes, classes));
        return probabilities;
    }

    /// <summary>p = e^(z - m) / sum e^(z - m) with m = max z; returns m and log sum e^(z - m).</summary>
    private static (T Max, T LogSum) SoftmaxRow<T>(ReadOnlySpan<T> z, Span<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = z[0];
        foreach (T v in z)
            max = T.Max(max, v);
        T sum = T.Zero;
        for (int c = 0; c < z.Length; c++)
        {
            p[c] = T.Exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.Length; c++)
            p[c] /= sum;
        return (max, T.Log(sum));
    }

    /// <summary>Backward pass: delta = dJ/dz = (softmax(z) - onehot(y)) / N.</summary>
    /// <param name="probabilities">softmax(z) from <see cref="Forward{T}"/>, shape N x C.</param>
    /// <param name="labels">y, N class indices in [0, C).</param>
    /// <returns>dJ/dz, shape N x C.</returns>
    /// <exception cref="ArgumentException">The shapes disagree or a label is outside [0, C).</exception>
    public static Tensor<T> Backward<T>(Tensor<T> probabilities, IReadOnlyList<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, classes) = CheckShapes(probabilities, labels, nameof(probabilities));
        var delta = probabilities.Clone();
        T batch = T.CreateChecked(n);
        for (int s = 0; s < n; s++)
        {
            delta.Data[s * classes + labels[s]] -= T.One;
            for (int c = 0; c < classes; c++)
                delta.Data[s * classes + c] /= batch;
        }
        return delta;
    }

    private static (int N, int Classes) CheckScores<T>(Tensor<T> scores, string parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Rank != 2 || scores.Shape[1] == 0)
            throw new ArgumentException($"{parameter} {scores.ShapeText} must be N x C with C > 0", parameter);
        return (scores.Shape[0], scores.Shape[1]);
    }

    private static (int N, int Classes) CheckShapes<T>(Tensor<T> scores, IReadOnlyList<int> labels, string parameter)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (n, classes) = CheckScores(scores, parameter);
        if (n != labels.Count)
            throw new ArgumentException($"{parameter} {scores.ShapeText} has {n} rows but there are {labels.Count} labels", parameter);
        for (int s = 0; s < n; s++)
            if (labels[s] < 0 || labels[s] >= classes)
                throw new ArgumentException($"label {labels[s]} of sample {s} is outside [0, {classes})", nameof(labels));
        return (n, classes);
    }
}
