using System.Globalization;
using System.Text.RegularExpressions;
using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// An error-input case: a small valid layer of one operation with one <see cref="ErrorRule"/> broken
/// on purpose, as PyTorch's OpInfo <c>error_inputs</c> pair an invalid sample with the error it must raise.
/// Every implementation must refuse it, and the refusal must name <see cref="Parameter"/>. The case is
/// drawn from (rule, operation, seed) alone, so its id <c>error-&lt;rule&gt;-&lt;op&gt;-v&lt;seed&gt;</c> rebuilds it.
/// </summary>
/// <param name="Rule">The rule the case breaks.</param>
/// <param name="Op">The operation called.</param>
/// <param name="Seed">The seed its shapes were drawn from.</param>
/// <param name="InputShape">Shape of the input a.</param>
/// <param name="WeightShape">Shape of the weights w.</param>
/// <param name="BiasLength">Length of the bias b, or null for no bias.</param>
/// <param name="DeltaShape">Shape of the upstream gradient dy the backward pass is given: the valid layer's output shape unless the rule breaks it.</param>
/// <param name="Spec">The hyperparameters as the family's spec; for the 2-D layer stride, dilation and padding per side are read off it (<see cref="LayerSpec"/>).</param>
internal sealed partial record ErrorCase(ErrorRule Rule, ErrorOp Op, ulong Seed, int[] InputShape, int[] WeightShape, int? BiasLength, int[] DeltaShape, ConvSpec Spec)
{
    /// <summary>The case id: <c>error-stride0-conv_transpose2d-v1234</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"error-{Rule.Token}-{Op.Token}-v{Seed}");

    /// <summary>The parameter the refusal must name, in the words of the entry point called.</summary>
    public string Parameter => Op.Layer ? Rule.LayerParameter : Rule.Parameter;

    /// <summary>
    /// The 2-D layer's spec: stride and dilation per axis and padding per side, from <see cref="Spec"/>
    /// (which for the layer always holds two values per axis and explicit padding).
    /// </summary>
    public Conv2dSpec LayerSpec => new()
    {
        StrideH = Spec.Stride[0], StrideW = Spec.Stride[^1], DilationH = Spec.Dilation[0], DilationW = Spec.Dilation[^1],
        PadTop = Spec.Padding.Before[0], PadLeft = Spec.Padding.Before[^1], PadBottom = Spec.Padding.After[0], PadRight = Spec.Padding.After[^1],
        Groups = Spec.Groups,
    };

    /// <summary>One line for reports: the shapes and the hyperparameters.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Op.Token}: input {Shape(InputShape)}, weights {Shape(WeightShape)}, bias {(BiasLength is { } b ? $"[{b}]" : "none")}, dy {Shape(DeltaShape)}, " +
        $"stride {Shape(Spec.Stride)}, padding {Spec.Padding}, dilation {Shape(Spec.Dilation)}, groups {Spec.Groups}, padding_mode {Spec.PaddingMode.ToString().ToLowerInvariant()}, output_padding {Shape(Spec.OutputPadding)}");

    private static string Shape(IEnumerable<int>? dims) => dims is null ? "null" : "[" + string.Join(", ", dims) + "]";

    /// <summary>Parses an error-input id; false (with one sentence in <paramref name="error"/>) when it is not one.</summary>
    public static bool TryParse(string text, out ErrorCase errorCase, out string error)
    {
        errorCase = null!;
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            error = $"error-input id '{text}' does not match error-<rule>-<op>-v<seed>";
            return false;
        }
        if (ErrorRules.Parse(m.Groups["rule"].Value) is not { } rule)
        {
            error = $"error-input id '{text}' names no rule; the rules are {string.Join(", ", ErrorRules.All.Select(r => r.Token))}";
            return false;
        }
        if (ErrorOp.Parse(m.Groups["op"].Value) is not { } op || !rule.AppliesTo(op))
        {
            error = $"error-input id '{text}': rule {rule.Token} does not apply to {m.Groups["op"].Value}; it applies to {string.Join(", ", ErrorOp.All.Where(rule.AppliesTo).Select(o => o.Token))}";
            return false;
        }
        if (!ulong.TryParse(m.Groups["seed"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            || seed.ToString(CultureInfo.InvariantCulture) != m.Groups["seed"].Value)
        {
            error = $"error-input id '{text}' has a seed that is not a 64-bit unsigned integer written without leading zeros";
            return false;
        }
        errorCase = ErrorCases.Draw(rule, op, seed);
        error = "";
        return true;
    }

    [GeneratedRegex(@"^error-(?<rule>[a-z0-9-]+?)-(?<op>layer|conv1d|conv2d|conv3d|conv_transpose1d|conv_transpose2d|conv_transpose3d)-v(?<seed>\d+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();
}
