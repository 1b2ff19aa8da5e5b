namespace ConvRef;

/// <summary>Which of ConvRef's two implementations computes a convolution; both follow the same equations and must agree to rounding.</summary>
public enum Conv2dAlgorithm
{
    /// <summary>One sample at a time, written to sit next to the derivation's serial numpy version.</summary>
    Serial,
    /// <summary>The whole batch at once: the fast path.</summary>
    Vectorized,
}
