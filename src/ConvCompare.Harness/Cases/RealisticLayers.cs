using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// The realistic tier: convolution layers the size real networks use (ResNet's 3x3 and 1x1 layers and
/// its 7x7 stem, MobileNet's depthwise layers, a DeepLab-style dilated layer), each with its sizes
/// perturbed at random (spatial size and channels by up to an eighth either way) so that the
/// vectorized engine's block and chunk boundaries (8-row panels, 4 x 6 dot blocks, 256-tap depth
/// blocks, 1024-position work units) fall at every offset. Their work is far above the threshold at
/// which ConvRef's vectorized engine spreads over threads.
/// </summary>
internal static class RealisticLayers
{
    /// <summary>One family: the nominal layer.</summary>
    private sealed record Layer(string Name, int MinBatch, int MaxBatch, int Cin, int Cout, int Size, int Kernel, int Stride, int Dilation, bool Depthwise);

    /// <summary>
    /// The families, cheapest per engine path first, since the mixed tier takes them in this order and
    /// has room for only a few: the stem (stride 2 over many work units, the col2im path), the
    /// depthwise layer (one filter per group), the dilated layer, a last-stage layer on 7x7 planes
    /// (several samples per work unit, forward and dJ/da, and many depth blocks), the pointwise layer
    /// (256 taps and more, two depth blocks), then the two costliest, which add nothing the others do not reach.
    /// </summary>
    private static readonly Layer[] Layers =
    [
        new("7x7 stride-2 stem on 224x224 RGB", 1, 2, 3, 64, 224, 7, 2, 1, false),
        new("depthwise 3x3 on 112x112x32", 1, 2, 32, 32, 112, 3, 1, 1, true),
        new("dilated 3x3 (dilation 2) on 56x56x32", 1, 1, 32, 32, 56, 3, 1, 2, false),
        new("3x3 on 7x7x256, a batch of 2 to 4", 2, 4, 256, 256, 7, 3, 1, 1, false),
        new("1x1 256->64 on 28x28", 1, 2, 256, 64, 28, 1, 1, 1, false),
        new("stride-2 3x3 64->128 on 56x56", 1, 1, 64, 128, 56, 3, 2, 1, false),
        new("3x3 on 56x56x64", 1, 1, 64, 64, 56, 3, 1, 1, false),
    ];

    /// <summary>How many families there are.</summary>
    public static int Count => Layers.Length;

    /// <summary>The nominal layer of family <paramref name="family"/>, for reports and docs.</summary>
    public static string Name(int family) => Layers[family].Name;

    /// <summary>
    /// A perturbed layer of family <paramref name="family"/>: N within the family's small batch range,
    /// H and W independently and the channel counts within an eighth of nominal (RGB stays 3 channels),
    /// "same" padding d(k-1)/2, and bias, activation, clipping and dtype drawn as for every case.
    /// </summary>
    public static CaseConfig Draw(int family, ref SplitMix64 rng, CaseDtype dtype)
    {
        var layer = Layers[family];
        int n = rng.Between(layer.MinBatch, layer.MaxBatch);
        int h = Perturb(ref rng, layer.Size), w = Perturb(ref rng, layer.Size);
        int cin = layer.Cin == 3 ? 3 : Perturb(ref rng, layer.Cin);
        int cout = layer.Depthwise ? cin : Perturb(ref rng, layer.Cout);
        int pad = layer.Dilation * (layer.Kernel - 1) / 2;
        bool bias = rng.Chance(0.75);
        var activation = CaseGenerator.DrawActivation(ref rng);
        var config = new CaseConfig(
            Shape: new(N: n, Cin: cin, H: h, W: w, Cout: cout, KH: layer.Kernel, KW: layer.Kernel),
            Geometry: new()
            {
                StrideH = layer.Stride, StrideW = layer.Stride,
                PadTop = pad, PadBottom = pad, PadLeft = pad, PadRight = pad,
                DilationH = layer.Dilation, DilationW = layer.Dilation, Groups = layer.Depthwise ? cin : 1,
            },
            Bias: bias, Dtype: dtype, Activation: activation, Clip: null, ValueSeed: (ulong)rng.Between(0, 999_999));
        return rng.Chance(0.25) ? config with { Clip = CaseGenerator.ClipValueFor(config) } : config;
    }

    private static int Perturb(ref SplitMix64 rng, int nominal) => nominal + rng.Between(-nominal / 8, nominal / 8);
}
