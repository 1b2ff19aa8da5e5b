using System.Text.Json;
using ConvCompare.Cases;

namespace ConvCompare.Kit;

/// <summary>
/// The per-case fields a manifest of version 2 (<see cref="KitFormat.FamilyVersion"/>) adds: the operation, padding mode
/// and spelling, groups, whether the input is batched, and every spatial axis in the input's order with its sizes and
/// hyperparameters, so that an implementation can read a case's layer off the manifest as well as off its input file.
/// </summary>
internal static class KitManifestGeometry
{
    /// <summary>Writes the fields of <paramref name="config"/> (a conv2d case of the original grammar too, as conv2d with zeros).</summary>
    public static void Write(Utf8JsonWriter json, CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(config);
        var axes = config.Axes;
        string[] names = axes.Count switch { 1 => ["w"], 2 => ["h", "w"], _ => ["d", "h", "w"] };
        json.WriteString("op", config.Op.Name());
        json.WriteString("padding_mode", config.PaddingMode.Token());
        json.WriteString("padding", (config.Family?.Padding ?? CasePadding.Explicit).ToString().ToLowerInvariant());
        json.WriteNumber("groups", config.Geometry.Groups);
        json.WriteBoolean("batched", config.Family?.Batched ?? true);
        json.WriteStartArray("axes");
        for (int i = 0; i < axes.Count; i++)
        {
            var a = axes[i];
            json.WriteStartObject();
            json.WriteString("name", names[i]);
            json.WriteNumber("input", a.Input);
            json.WriteNumber("output", a.Output);
            json.WriteNumber("kernel", a.Kernel);
            json.WriteNumber("stride", a.Stride);
            json.WriteNumber("dilation", a.Dilation);
            json.WriteNumber("pad_before", a.PadBefore);
            json.WriteNumber("pad_after", a.PadAfter);
            if (config.Op.Transposed())
                json.WriteNumber("output_padding", a.OutputPadding);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
