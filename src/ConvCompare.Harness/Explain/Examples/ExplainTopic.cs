namespace ConvCompare.Explain.Examples;

/// <summary>Which page <c>explain</c> shows.</summary>
internal enum ExplainTopic
{
    /// <summary>The derivation's Eq 1 to Eq 9 on conv2d (parts chosen by <see cref="ExampleChoice"/>).</summary>
    Backprop,
    /// <summary>The transposed convolution as the backward of the convolution, and its backward as a convolution.</summary>
    Transposed,
    /// <summary>A reflect-padded layer: the padded border's gradient folded back onto the input.</summary>
    Reflect,
    /// <summary>The backward of the backward: the double backward's three gradients as convolutions.</summary>
    SecondOrder,
}
