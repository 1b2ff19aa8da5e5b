using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>The title and the sentence every rendering opens with.</summary>
internal static class Headline
{
    /// <summary>The derivation walk-through's title.</summary>
    public const string DefaultTitle = "Convolution back-propagation, number by number";

    /// <summary>The document title: the page's own, or the derivation walk-through's.</summary>
    public static string Title(Walkthrough walkthrough) => walkthrough.Title ?? DefaultTitle;

    /// <summary>What the walk-through shows and with which seed.</summary>
    public static string Text(Walkthrough walkthrough) =>
        (walkthrough.Summary ?? "The derivation's Eq 1 to Eq 9 replayed on small integers, with ConvRef's results (its own building blocks and Conv2d) next to TorchSharp autograd's (float64) and their difference.")
        + $" Seed {walkthrough.Seed}. With integers every product and sum is exact in float64, so every difference must be exactly 0.";
}
