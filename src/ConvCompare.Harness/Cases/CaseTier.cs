namespace ConvCompare.Cases;

/// <summary>Which kinds of cases a sweep draws (<c>run --tier</c>).</summary>
internal enum CaseTier
{
    /// <summary>
    /// The default: mostly edge cases, every <see cref="CaseGenerator.SpecialEvery"/>-th a special-value
    /// case and every <see cref="CaseGenerator.RealisticEvery"/>-th a realistic layer, at fixed indices.
    /// </summary>
    Mixed,

    /// <summary>Small layers near the edges of validity, uniform values.</summary>
    Edge,

    /// <summary>Layers the size of real networks' (<see cref="RealisticLayers"/>), shapes perturbed.</summary>
    Realistic,

    /// <summary>Small layers with special values (<see cref="ValueKinds.Special"/>).</summary>
    Special,
}

/// <summary>The names of <see cref="CaseTier"/> on the command line and in reports.</summary>
internal static class CaseTiers
{
    /// <summary>Every tier's name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mixed", "edge", "realistic", "special"];

    /// <summary>The name of <paramref name="tier"/>.</summary>
    public static string Name(CaseTier tier) => Names[(int)tier];

    /// <summary>The tier called <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">No tier has that name.</exception>
    public static CaseTier Parse(string name)
    {
        int index = Names.ToList().IndexOf(name);
        return index >= 0 ? (CaseTier)index : throw new ArgumentException($"no tier is called '{name}'; the tiers are {string.Join(", ", Names)}", nameof(name));
    }
}
