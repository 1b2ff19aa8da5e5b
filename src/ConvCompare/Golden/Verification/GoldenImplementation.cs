namespace ConvCompare.Golden.Verification;

/// <summary>Who recomputes a golden case: one of ConvRef's two algorithms, or TorchSharp autograd (the oracle).</summary>
internal enum GoldenImplementation
{
    Serial,
    Vectorized,
    Torch,
}

internal static class GoldenImplementationNames
{
    /// <summary>The name used on the command line and in the JSON report.</summary>
    public static string Name(this GoldenImplementation implementation) => implementation switch
    {
        GoldenImplementation.Serial => "serial",
        GoldenImplementation.Vectorized => "vectorized",
        _ => "torch",
    };
}
