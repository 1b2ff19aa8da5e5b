using System.Globalization;
using System.Text;

namespace ConvCompare.Training;

/// <summary>
/// The loss curves as a self-contained SVG (no native drawing library needed): top panel the two losses
/// per step, bottom panel |loss ConvRef - loss TorchSharp| and its bound on a log axis.
/// </summary>
internal static class LossPlotSvg
{
    private const double Width = 800, PanelHeight = 260, Left = 70, Right = 20, Top = 30, Gap = 60;
    private const double Floor = 1e-18;

    public static string Render(TrainingResult result)
    {
        var steps = result.Steps;
        var svg = new StringBuilder();
        double height = Top + 2 * PanelHeight + Gap + 40;
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));

        double maxLoss = steps.Select(s => Math.Max(s.LossConvRef, s.LossTorch)).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        var loss = new Panel(Top, 0, maxLoss * 1.05, logarithmic: false, steps.Count);
        loss.Frame(svg, "training loss per step (mini-batch mean cross-entropy)");
        loss.Line(svg, steps.Select(s => s.LossConvRef), "#1f77b4", dashed: false);
        loss.Line(svg, steps.Select(s => s.LossTorch), "#ff7f0e", dashed: true);
        Legend(svg, Top + 12, [("ConvRef", "#1f77b4"), ("TorchSharp (dashed)", "#ff7f0e")]);

        var differences = steps.Select(s => Math.Max(Math.Abs(s.LossConvRef - s.LossTorch), Floor)).ToArray();
        var bounds = steps.Select(s => Math.Max(s.LossBound, Floor)).ToArray();
        var finite = differences.Concat(bounds).Where(double.IsFinite).DefaultIfEmpty(1).ToArray();
        var gap = new Panel(Top + PanelHeight + Gap, Math.Floor(Math.Log10(finite.Min())), Math.Ceiling(Math.Log10(finite.Max())), logarithmic: true, steps.Count);
        gap.Frame(svg, "|loss ConvRef - loss TorchSharp| (0 drawn at 1e-18) and its rounding-error bound, log scale");
        gap.Line(svg, bounds, "#7f7f7f", dashed: true);
        gap.Line(svg, differences, "#d62728", dashed: false);
        Legend(svg, Top + PanelHeight + Gap + 12, [("|difference|", "#d62728"), ("bound (dashed)", "#7f7f7f")]);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, double y, (string Label, string Color)[] entries)
    {
        double x = Width - Right - 190;
        svg.Append(Invariant($"<rect x=\"{x - 6}\" y=\"{y - 10}\" width=\"180\" height=\"{16 * entries.Length + 4}\" fill=\"white\" stroke=\"#c0c0c0\"/>\n"));
        foreach (var (label, color) in entries)
        {
            svg.Append(Invariant($"<line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 20}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{x + 26}\" y=\"{y + 4}\">{label}</text>\n"));
            y += 16;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One plot area; with <c>logarithmic</c> the y range is in decades (log10).</summary>
    private sealed class Panel(double top, double low, double high, bool logarithmic, int count)
    {
        private double PlotWidth => Width - Left - Right;

        private double X(int step) => Left + (count <= 1 ? 0 : (step - 1) * PlotWidth / (count - 1));

        private double Y(double value)
        {
            double v = logarithmic ? Math.Log10(value) : value;
            double fraction = high > low ? (v - low) / (high - low) : 0.5;
            return top + PanelHeight * (1 - Math.Clamp(fraction, 0, 1));
        }

        public void Frame(StringBuilder svg, string title)
        {
            svg.Append(Invariant($"<text x=\"{Left}\" y=\"{top - 8}\" font-weight=\"bold\">{title}</text>\n"));
            svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{top}\" width=\"{PlotWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"black\"/>\n"));
            int ticks = logarithmic ? (int)(high - low) : 5;
            int every = Math.Max(1, ticks / 8);
            for (int i = 0; i <= ticks; i += every)
            {
                double value = logarithmic ? Math.Pow(10, low + i) : low + (high - low) * i / ticks;
                double y = Y(value);
                string label = logarithmic ? Invariant($"1e{low + i}") : value.ToString("G3", CultureInfo.InvariantCulture);
                svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + PlotWidth}\" y2=\"{y}\" stroke=\"#e0e0e0\"/>"));
                svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4}\" text-anchor=\"end\">{label}</text>\n"));
            }
            for (int i = 0; i <= 4; i++)
            {
                int step = 1 + (int)Math.Round((count - 1) * i / 4.0);
                svg.Append(Invariant($"<text x=\"{X(step)}\" y=\"{top + PanelHeight + 16}\" text-anchor=\"middle\">{step}</text>\n"));
            }
            svg.Append(Invariant($"<text x=\"{Left + PlotWidth / 2}\" y=\"{top + PanelHeight + 32}\" text-anchor=\"middle\">step</text>\n"));
        }

        public void Line(StringBuilder svg, IEnumerable<double> values, string color, bool dashed)
        {
            var points = values.Select((v, i) => double.IsFinite(v) ? Invariant($"{X(i + 1):F1},{Y(v):F1}") : null).Where(p => p is not null);
            string dash = dashed ? " stroke-dasharray=\"6,4\"" : "";
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{dash} points=\"{string.Join(' ', points)}\"/>\n"));
        }
    }
}
