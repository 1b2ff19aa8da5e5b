using ConvCompare.Bench;
using ConvCompare.Implementations;

namespace ConvCompare.Limits;

/// <summary>The work of a <c>bench</c> run, counted from its options before anything is measured.</summary>
internal static class BenchCost
{
    /// <summary>
    /// Multiply-adds of one timed forward pass plus one forward+backward pass (1 + 3 forward passes' worth),
    /// per repetition, shape, dtype and implementation; ConvRef's readable algorithm repeats at most
    /// <see cref="BenchOptions.SerialRepeatCap"/> times; with TorchSharp among the implementations the whole
    /// measurement runs twice (as is, and again in the tuned child). Warm-up is bounded by time, not counted.
    /// </summary>
    public static Cost Of(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double work = 0;
        foreach (var shape in options.Shapes)
        {
            double perRepetition = 4 * shape.ForwardFlops / 2;
            foreach (string impl in options.Impls)
            {
                double repetitions = BuiltInImplementations.IsReadable(impl) ? Math.Min(options.Repeat, BenchOptions.SerialRepeatCap) : options.Repeat;
                work += perRepetition * repetitions * options.Dtypes.Count;
            }
        }
        if (options.Impls.Contains(BuiltInImplementations.OracleName))
            work *= 2;
        double memory = options.Shapes.Count == 0 ? 0 : options.Shapes.Max(s => (double)s.TensorBytes(sizeof(double))) * CaseCost.TensorCopies;
        return new Cost(work, memory, 0);
    }
}
