namespace ConvCompare.Runner;

/// <summary>One place where TorchSharp was shown wrong.</summary>
/// <param name="What">The tensor (y, dx, dw, db) or <c>gradcheck</c>.</param>
/// <param name="Detail">One sentence with the evidence.</param>
/// <param name="Elements">Up to five offending elements with TorchSharp's and the reference's values.</param>
internal sealed record OracleFault(string What, string Detail, IReadOnlyList<string> Elements);
