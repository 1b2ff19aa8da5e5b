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
