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
    /// <summary>Second order: dL/da = dy (x)_f Rot180(gg_w), the double backward's gradient to the input a.</summary>
    D2x,
    /// <summary>Second order: dL/dw = (gg_a .* g'(z)) (x) dy, the double backward's gradient to the weights.</summary>
    D2w,
    /// <summary>Second order: dL/d(dy) = (gg_a .* g'(z)) (*) w + gg_b + a (*) gg_w, the double backward's gradient to delta = dy.</summary>
    D2dy,
    /// <summary>
    /// Second order, with an activation below: dL/dz^(l-1) = gg_a .* (dy (x)_f Rot180(w)) .* g''(z^(l-1)), the double
    /// backward's gradient to z^(l-1) (Eq 6 differentiated in z); zero where g'' is (ReLU, leaky ReLU).
    /// </summary>
    D2z,
}

/// <summary>Names of <see cref="TensorKind"/> in reports: y, dx, dw, db, and d2x, d2w, d2dy at second order.</summary>
internal static class TensorKinds
{
    /// <summary>Every kind, in report order.</summary>
    public static IReadOnlyList<TensorKind> All { get; } = [TensorKind.Y, TensorKind.Dx, TensorKind.Dw, TensorKind.Db];

    /// <summary>The double backward's gradients, in report order: to a, to w, to dy.</summary>
    public static IReadOnlyList<TensorKind> SecondOrder { get; } = [TensorKind.D2x, TensorKind.D2w, TensorKind.D2dy];

    /// <summary>The tensors <paramref name="config"/> compares: db only with bias, the second-order ones only at order 2.</summary>
    public static IEnumerable<TensorKind> Of(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return All.Where(k => k != TensorKind.Db || config.Bias).Concat(config.Order == 2 ? SecondOrder : []);
    }

    /// <summary>
    /// The tensors the harness judges for <paramref name="config"/>: <see cref="Of"/>, and at order 2 with an activation below
    /// also dL/dz^(l-1) (<see cref="TensorKind.D2z"/>), which golden files and kits do not carry.
    /// </summary>
    public static IEnumerable<TensorKind> Judged(CaseConfig config) =>
        Of(config).Concat(config.Order == 2 && config.Activation != ActivationKind.Identity ? [TensorKind.D2z] : []);

    /// <summary>Every kind a report may name, in report order.</summary>
    public static IReadOnlyList<TensorKind> Reported { get; } = [.. All, .. SecondOrder, TensorKind.D2z];

    /// <summary>Whether <paramref name="kind"/> is a gradient of the double backward.</summary>
    public static bool IsSecondOrder(this TensorKind kind) => kind is TensorKind.D2x or TensorKind.D2w or TensorKind.D2dy or TensorKind.D2z;

    /// <summary>The report name.</summary>
    public static string Name(this TensorKind kind) => kind switch
    {
        TensorKind.Y => "y",
        TensorKind.Dx => "dx",
        TensorKind.Dw => "dw",
        TensorKind.D2x => "d2x",
        TensorKind.D2w => "d2w",
        TensorKind.D2dy => "d2dy",
        TensorKind.D2z => "d2z",
        _ => "db",
    };
}
