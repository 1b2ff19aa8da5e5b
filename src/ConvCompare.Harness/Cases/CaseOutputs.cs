using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// What one implementation computed for a case, widened to float64 (exact for float32 results).
/// </summary>
/// <param name="Y">y = a (x) w + b.</param>
/// <param name="InputGradient">The gradient at the layer's input, <see cref="TensorKind.Dx"/>: dJ/da^(l-1) (Eq 5/8) when the case has no activation, otherwise delta^(l-1) = dJ/da .* g'(z^(l-1)) (Eq 6/8).</param>
/// <param name="Dw">dJ/dw, clamped when the case clips.</param>
/// <param name="Db">dJ/db, or null without bias.</param>
internal sealed record CaseOutputs(Tensor<double> Y, Tensor<double> InputGradient, Tensor<double> Dw, Tensor<double>? Db)
{
    /// <summary>The double backward's gradients, for a case of <see cref="CaseConfig.Order"/> 2; else null.</summary>
    public SecondOrderOutputs? SecondOrder { get; init; }

    /// <summary>The tensor of <paramref name="kind"/> (null for <see cref="TensorKind.Db"/> without bias, and for a second-order kind at order 1).</summary>
    public Tensor<double>? this[TensorKind kind] => kind switch
    {
        TensorKind.Y => Y,
        TensorKind.Dx => InputGradient,
        TensorKind.Dw => Dw,
        TensorKind.D2x => SecondOrder?.Input,
        TensorKind.D2w => SecondOrder?.Weights,
        TensorKind.D2dy => SecondOrder?.Delta,
        TensorKind.D2z => SecondOrder?.PreviousZ,
        _ => Db,
    };

    /// <summary>A copy with the tensor of <paramref name="kind"/> replaced (used to plant errors in tests).</summary>
    public CaseOutputs With(TensorKind kind, Tensor<double> tensor) => kind switch
    {
        TensorKind.Y => this with { Y = tensor },
        TensorKind.Dx => this with { InputGradient = tensor },
        TensorKind.Dw => this with { Dw = tensor },
        TensorKind.D2x => this with { SecondOrder = Required(kind) with { Input = tensor } },
        TensorKind.D2w => this with { SecondOrder = Required(kind) with { Weights = tensor } },
        TensorKind.D2dy => this with { SecondOrder = Required(kind) with { Delta = tensor } },
        TensorKind.D2z => this with { SecondOrder = Required(kind) with { PreviousZ = tensor } },
        _ => this with { Db = tensor },
    };

    private SecondOrderOutputs Required(TensorKind kind) =>
        SecondOrder ?? throw new InvalidOperationException($"these outputs have no {kind.Name()}: the case is of order 1");
}
