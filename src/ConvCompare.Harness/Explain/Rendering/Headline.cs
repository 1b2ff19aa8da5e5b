using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>The sentence every rendering opens with.</summary>
internal static class Headline
{
    /// <summary>The document title.</summary>
    public const string Title = "Convolution back-propagation, number by number";

    /// <summary>What the walk-through shows and with which seed.</summary>
    public static string Text(Walkthrough walkthrough) =>
        $"The derivation's Eq 1 to Eq 9 replayed on small integers, with ConvRef's results (its own building blocks and Conv2d) next to TorchSharp autograd's (float64) and their difference. Seed {walkthrough.Seed}. With integers every product and sum is exact in float64, so every difference must be exactly 0.";
}
