using System.Globalization;
using System.Text.RegularExpressions;
using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// The compact, human-readable id of a case. It encodes the whole configuration and the value seed,
/// so <c>convcompare check &lt;id&gt;</c> rebuilds the same case bit for bit:
/// <code>
/// n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64[-nb][-relu|-lrelu|-sigmoid|-tanh][-clip0.25][-sub|-max|-zero|-equal|-nonfinite|-infw][-order2]-v1234
/// </code>
/// <list type="bullet">
/// <item><c>n3c4h9w7</c>: batch N, C_in, input height H and width W (the input a is N x C_in x H x W).</item>
/// <item><c>o6k3x2</c>: C_out and the kernel kH x kW.</item>
/// <item><c>s2x1</c>: stride (vertical x horizontal); <c>p1,0,2,1</c>: padding top, bottom, left, right;
/// <c>d1x2</c>: dilation; <c>g2</c>: groups.</item>
/// <item><c>f32</c> / <c>f64</c>: dtype.</item>
/// <item><c>nb</c>: the layer has no bias (a bias is the default).</item>
/// <item><c>relu</c>, <c>lrelu</c> (slope 0.01), <c>sigmoid</c>, <c>tanh</c>: the activation g of the layer below,
/// so delta^(l-1) = dJ/da .* g'(z^(l-1)) (Eq 6/8) is compared instead of dJ/da; absent means none.</item>
/// <item><c>clip0.25</c>: dJ/dw is clamped to [-0.25, 0.25]; absent means no clipping.</item>
/// <item><c>sub</c>, <c>max</c>, <c>zero</c>, <c>equal</c>, <c>nonfinite</c>, <c>infw</c>: special values (<see cref="ValueKind"/>);
/// absent means uniform values.</item>
/// <item><c>order2</c>: the case is checked to second order as well (the double backward, <see cref="CaseConfig.Order"/>);
/// absent means first order, so every first-order id is what it was before second order existed.</item>
/// <item><c>v1234</c>: the seed of the values (a, w, b, dy, z^(l-1)), a decimal 64-bit unsigned integer.</item>
/// </list>
/// Every field is always written in this order and with no leading zeros, so an id has exactly one
/// spelling and <see cref="Format"/> of <see cref="TryParse"/> gives the id back.
/// </summary>
internal static partial class CaseId
{
    private const int MaxDimension = 100_000;

    /// <summary>The id of <paramref name="config"/>.</summary>
    public static string Format(CaseConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config;
        var (s, g) = (c.Shape, c.Geometry);
        var id = c.Family is { } family ? FamilyPrefix(c, family) : string.Create(CultureInfo.InvariantCulture,
            $"n{s.N}c{s.Cin}h{s.H}w{s.W}-o{s.Cout}k{s.KH}x{s.KW}-s{g.StrideH}x{g.StrideW}" +
            $"-p{g.PadTop},{g.PadBottom},{g.PadLeft},{g.PadRight}-d{g.DilationH}x{g.DilationW}-g{g.Groups}");
        id += "-" + (c.Dtype == CaseDtype.F32 ? "f32" : "f64");
        if (!c.Bias)
            id += "-nb";
        if (c.Activation != ActivationKind.Identity)
            id += "-" + ActivationToken(c.Activation);
        if (c.Clip is { } clip)
            id += "-clip" + clip.ToString("R", CultureInfo.InvariantCulture);
        if (c.Values != ValueKind.Uniform)
            id += "-" + ValueKinds.Token(c.Values);
        if (c.Order == 2)
            id += "-order2";
        return id + "-v" + c.ValueSeed.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The token of an activation in ids and reports: none, relu, lrelu, sigmoid, tanh.</summary>
    public static string ActivationToken(ActivationKind kind) => kind switch
    {
        ActivationKind.Identity => "none",
        ActivationKind.ReLU => "relu",
        ActivationKind.LeakyReLU => "lrelu",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.Tanh => "tanh",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown activation"),
    };

    /// <summary>Parses an id; on failure <paramref name="error"/> is one sentence saying what is wrong.</summary>
    public static bool TryParse(string text, out CaseConfig config, out string error)
    {
        config = null!;
        if (text is not null && text.StartsWith("conv", StringComparison.Ordinal))
            return TryParseFamily(text, out config, out error);
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            error = $"case id '{text}' does not match n<N>c<Cin>h<H>w<W>-o<Cout>k<kH>x<kW>-s<sH>x<sW>-p<top>,<bottom>,<left>,<right>-d<dH>x<dW>-g<G>-f32|f64[-nb][-relu|-lrelu|-sigmoid|-tanh][-clip<c>][-sub|-max|-zero|-equal|-nonfinite|-infw][-order2]-v<seed>";
            return false;
        }
        var numbers = new int[16];
        for (int i = 0; i < numbers.Length; i++)
        {
            if (!int.TryParse(m.Groups[i + 1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]) || numbers[i] > MaxDimension)
            {
                error = $"case id '{text}' has the number {m.Groups[i + 1].Value}, larger than {MaxDimension}";
                return false;
            }
        }
        if (!TryParseTail(m, text!, out var tail, out error))
            return false;
        var parsed = new CaseConfig(
            Shape: new(N: numbers[0], Cin: numbers[1], H: numbers[2], W: numbers[3], Cout: numbers[4], KH: numbers[5], KW: numbers[6]),
            Geometry: new()
            {
                StrideH = numbers[7], StrideW = numbers[8],
                PadTop = numbers[9], PadBottom = numbers[10], PadLeft = numbers[11], PadRight = numbers[12],
                DilationH = numbers[13], DilationW = numbers[14], Groups = numbers[15],
            },
            Bias: tail.Bias, Dtype: tail.Dtype, Activation: tail.Activation, Clip: tail.Clip, ValueSeed: tail.Seed)
        {
            Values = tail.Values,
            Order = tail.Order,
        };
        return Accept(text!, parsed, out config, out error);
    }

    /// <summary>What every id ends with: dtype, bias, activation, clip, special values, order and the value seed.</summary>
    private readonly record struct Tail(bool Bias, CaseDtype Dtype, ActivationKind Activation, double? Clip, ValueKind Values, int Order, ulong Seed);

    /// <summary>Reads the tail groups (f, nb, act, clip, values, order, seed) that both grammars share.</summary>
    private static bool TryParseTail(Match m, string text, out Tail tail, out string error)
    {
        tail = default;
        if (!ulong.TryParse(m.Groups["seed"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
        {
            error = $"case id '{text}' has a value seed that is not a 64-bit unsigned integer";
            return false;
        }
        double? clip = null;
        if (m.Groups["clip"].Success)
        {
            if (!double.TryParse(m.Groups["clip"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double c))
            {
                error = $"case id '{text}' has a clip value that is not a number";
                return false;
            }
            clip = c;
        }
        var activation = m.Groups["act"].Value switch
        {
            "relu" => ActivationKind.ReLU,
            "lrelu" => ActivationKind.LeakyReLU,
            "sigmoid" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            _ => ActivationKind.Identity,
        };
        tail = new Tail(!m.Groups["nb"].Success, m.Groups["f"].Value == "32" ? CaseDtype.F32 : CaseDtype.F64,
            activation, clip, ValueKinds.Parse(m.Groups["values"].Value), m.Groups["order"].Success ? 2 : 1, seed);
        error = "";
        return true;
    }

    /// <summary>Accepts <paramref name="parsed"/> when it is a valid layer written canonically as <paramref name="text"/>.</summary>
    private static bool Accept(string text, CaseConfig parsed, out CaseConfig config, out string error)
    {
        config = null!;
        if (parsed.Problem is { } problem)
        {
            error = $"case id '{text}' is not a valid layer: {problem}";
            return false;
        }
        string canonical = Format(parsed);
        if (canonical != text)
        {
            error = $"case id '{text}' is not written canonically; its canonical form is '{canonical}'";
            return false;
        }
        config = parsed;
        error = "";
        return true;
    }

    [GeneratedRegex(@"^n(\d+)c(\d+)h(\d+)w(\d+)-o(\d+)k(\d+)x(\d+)-s(\d+)x(\d+)-p(\d+),(\d+),(\d+),(\d+)-d(\d+)x(\d+)-g(\d+)-f(?<f>32|64)(?<nb>-nb)?(-(?<act>relu|lrelu|sigmoid|tanh))?(-clip(?<clip>[0-9][0-9.Ee+-]*))?(-(?<values>sub|max|zero|equal|nonfinite|infw))?(?<order>-order2)?-v(?<seed>\d+)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();
}
