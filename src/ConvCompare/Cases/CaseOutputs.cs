using ConvRef;

namespace ConvCompare.Cases;

/// <summary>The tensors a case compares.</summary>
internal enum TensorKind
{
    /// <summary>The forward output y = z^(l) (Eq 1).</summary>
    Y,
    /// <summary>dJ/da^(l-1) (Eq 5/8), or delta^(l-1) = dJ/da .* g'(z^(l-1)) with an activation (Eq 6/8).</summary>
    Dx,
    /// <summary>dJ/dw (Eq 3/7), clamped when the case clips.</summary>
    Dw,
    /// <summary>dJ/db (Eq 9).</summary>
    Db,
}

/// <summary>Names of <see cref="TensorKind"/> in reports: y, dx, dw, db.</summary>
internal static class TensorKinds
{
    /// <summary>Every kind, in report order.</summary>
    public static IReadOnlyList<TensorKind> All { get; } = [TensorKind.Y, TensorKind.Dx, TensorKind.Dw, TensorKind.Db];

    /// <summary>The report name.</summary>
    public static string Name(this TensorKind kind) => kind switch
    {
        TensorKind.Y => "y",
        TensorKind.Dx => "dx",
        TensorKind.Dw => "dw",
        _ => "db",
    };
}

/// <summary>
/// What one implementation computed for a case, widened to float64 (exact for float32 results).
/// </summary>
/// <param name="Y">y = a (x) w + b.</param>
/// <param name="Dx">dJ/da or delta^(l-1).</param>
/// <param name="Dw">dJ/dw, clamped when the case clips.</param>
/// <param name="Db">dJ/db, or null without bias.</param>
internal sealed record CaseOutputs(Tensor<double> Y, Tensor<double> Dx, Tensor<double> Dw, Tensor<double>? Db)
{
    /// <summary>The tensor of <paramref name="kind"/> (null only for <see cref="TensorKind.Db"/> without bias).</summary>
    public Tensor<double>? this[TensorKind kind] => kind switch
    {
        TensorKind.Y => Y,
        TensorKind.Dx => Dx,
        TensorKind.Dw => Dw,
        _ => Db,
    };

    /// <summary>A copy with the tensor of <paramref name="kind"/> replaced (used to plant errors in tests).</summary>
    public CaseOutputs With(TensorKind kind, Tensor<double> tensor) => kind switch
    {
        TensorKind.Y => this with { Y = tensor },
        TensorKind.Dx => this with { Dx = tensor },
        TensorKind.Dw => this with { Dw = tensor },
        _ => this with { Db = tensor },
    };
}

/// <summary>
/// Something that computes a case's y, dx (or delta^(l-1)), dw (clamped when the case clips) and db:
/// ConvRef (the implementation under test) or TorchSharp (the oracle). Tests wrap engines to plant errors.
/// </summary>
internal interface ILayerEngine
{
    /// <summary>A short name for reports: serial, vectorized, torch.</summary>
    string Name { get; }

    /// <summary>Computes the case's outputs in <paramref name="dtype"/> from the (dtype-exact) inputs.</summary>
    CaseOutputs Compute(CaseConfig config, CaseInputs inputs, CaseDtype dtype);

    /// <summary>The forward output y = a (x) w + b in float64 for arbitrary a, w, b of the case's shapes (the numeric gradient check perturbs them).</summary>
    Tensor<double> Forward(CaseConfig config, Tensor<double> input, Tensor<double> weights, Tensor<double>? bias);
}
