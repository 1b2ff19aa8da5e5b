using ConvCompare.Cases;

namespace ConvCompare.Comparison;

/// <summary>
/// K per tensor: the most products any one element of y, dJ/da, dJ/dw or dJ/db sums, for every operation of
/// the family, from its definition (<see cref="Oracles.FamilySums"/>); the largest over the elements, so
/// gamma_K bounds each of them.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>y: (C_in/G)·Πk (+1 for the bias), for a convolution and for a transposed one alike: an output sums
/// one product per input channel of its group and tap (a transposed convolution's output fewer, since only
/// the taps whose position it is contribute).</item>
/// <item>dJ/da of a convolution: (C_out/G)·Πk products per copy of the element in the padded input, and a
/// padding mode that copies the input (reflect, replicate, circular) puts an element in at most
/// Π(1 + before + after) positions of the padded input (itself, and per axis at most one copy per padded
/// position); zeros: one copy. Transposed: (C_out/G)·Πk, one product per output channel of its group and tap.</item>
/// <item>dJ/dw: N·Π out for a convolution (one product per sample and output position); N·Π in for a
/// transposed one, whose error δ meets the input once per sample and input position.</item>
/// <item>dJ/db: N·Π out (one per sample and output position).</item>
/// </list>
/// For the original grammar's conv2d these are its own C_in/G·kH·kW (+1), C_out/G·kH·kW and N·H_out·W_out.
/// </remarks>
/// <param name="Y">K of y.</param>
/// <param name="Dx">K of dJ/da.</param>
/// <param name="Dw">K of dJ/dw.</param>
/// <param name="Db">K of dJ/db.</param>
internal sealed record ReductionLengths(long Y, long Dx, long Dw, long Db)
{
    /// <summary>The reduction lengths of <paramref name="c"/>.</summary>
    public static ReductionLengths Of(CaseConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var axes = c.Axes;
        long taps = Product(axes.Select(a => a.Kernel));
        long samples = c.Family is { Batched: false } ? 1 : c.Shape.N;
        long outputs = samples * Product(axes.Select(a => a.Output));
        long inputs = samples * Product(axes.Select(a => a.Input));
        long copies = c.PaddingMode == CasePaddingMode.Zeros ? 1 : Product(axes.Select(a => 1 + a.PadBefore + a.PadAfter));
        bool transposed = c.Op.Transposed();
        return new ReductionLengths(
            (long)(c.Shape.Cin / c.Geometry.Groups) * taps + (c.Bias ? 1 : 0),
            copies * (c.Shape.Cout / c.Geometry.Groups) * taps,
            transposed ? inputs : outputs,
            outputs);
    }

    private static long Product(IEnumerable<long> values) => values.Aggregate(1L, (p, v) => p * v);
}
