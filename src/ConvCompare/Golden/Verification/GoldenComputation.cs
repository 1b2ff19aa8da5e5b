using ConvRef;

namespace ConvCompare.Golden.Verification;

/// <summary>What an implementation computed for a golden case: y (Eq 1), dx (Eq 5/8), dw (Eq 3/7), db (Eq 9), widened to double.</summary>
internal sealed record GoldenComputation(Tensor<double> Y, Tensor<double> Dx, Tensor<double> Dw, Tensor<double>? Db)
{
    /// <summary>The tensor stored under <paramref name="name"/> in the format.</summary>
    public Tensor<double> this[string name] => name switch
    {
        GoldenFormat.Y => Y,
        GoldenFormat.Dx => Dx,
        GoldenFormat.Dw => Dw,
        GoldenFormat.Db => Db ?? throw new InvalidOperationException("the case has no bias, so there is no db"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a computed tensor of the golden format"),
    };
}
