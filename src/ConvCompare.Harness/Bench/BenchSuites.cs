namespace ConvCompare.Bench;

/// <summary>The names <c>bench --shapes</c> accepts: a reference shape, a network (all its layers) or one network layer.</summary>
internal static class BenchSuites
{
    /// <summary>What <c>bench</c> measures when <c>--shapes</c> is not given: the reference shapes, then both networks.</summary>
    public const string Default = "S1,S2,S3,S4,resnet18,mobilenetv2";

    /// <summary>Every shape that has a name: the reference shapes, then each network's layers.</summary>
    public static IReadOnlyList<BenchShape> Every { get; } = [.. BenchShape.All, .. NetworkLayers.Networks.SelectMany(n => n)];

    /// <summary>The one-sentence list of accepted names for an error message.</summary>
    public static string Known =>
        $"known: {string.Join(",", BenchShape.All.Select(s => s.Name))}, "
        + $"{string.Join(",", NetworkLayers.Networks.Select(n => n[0].Network))}, or a layer name such as {NetworkLayers.ResNet18[0].Name} or {NetworkLayers.MobileNetV2[1].Name}";

    /// <summary>The shapes <paramref name="name"/> stands for (case-insensitive), or null when it names none.</summary>
    public static IReadOnlyList<BenchShape>? Resolve(string name)
    {
        var network = NetworkLayers.Networks.FirstOrDefault(n => string.Equals(n[0].Network, name, StringComparison.OrdinalIgnoreCase));
        if (network is not null)
            return network;
        var shape = Find(name);
        return shape is null ? null : [shape];
    }

    /// <summary>The shape with this name (case-insensitive), or null.</summary>
    public static BenchShape? Find(string name) =>
        Every.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
