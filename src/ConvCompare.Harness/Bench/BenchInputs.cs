using ConvCompare.Cases;
using ConvRef;

namespace ConvCompare.Bench;

/// <summary>The float64 inputs every implementation receives (converted to its dtype), drawn once per shape.</summary>
internal sealed record BenchInputs(Tensor<double> Input, Tensor<double> Weights, Tensor<double> Bias, Tensor<double> Delta)
{
    public static BenchInputs For(BenchShape s, ulong seed)
    {
        // Timing does not depend on the values, only on their being ordinary finite numbers; the
        // harness's generator keeps them the same on every machine.
        var random = new SplitMix64(seed);
        Tensor<double> Draw(params int[] shape)
        {
            var t = Tensor<double>.Zeros(shape);
            for (int i = 0; i < t.Length; i++)
                t.Data[i] = random.NextSigned();
            return t;
        }
        return new BenchInputs(
            Draw(s.N, s.InChannels, s.Height, s.Width),
            Draw(s.OutChannels, s.InChannels / s.Groups, s.Kernel, s.Kernel),
            Draw(s.OutChannels),
            Draw(s.N, s.OutChannels, s.OutHeight, s.OutWidth));
    }
}
