using System.Globalization;
using System.Xml.Linq;
using ConvCompare.Explain.Model;

namespace ConvCompare.Explain.Rendering;

/// <summary>
/// Draws one matrix as an inline SVG heatmap: a labelled grid with 1-based row and column numbers,
/// each cell coloured by its value (blue negative, white zero, red positive, on the matrix's own
/// scale) with the number written in it. Difference maps are green where zero and red elsewhere.
/// Marked cells get a dashed outline.
/// </summary>
internal static class SvgHeatmap
{
    private const int CellHeight = 34, TitleHeight = 20, IndexSize = 16, Padding = 4, CharWidth = 9;
    private const string Font = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";

    /// <summary>The SVG element for <paramref name="matrix"/>.</summary>
    public static XElement Render(LabelledMatrix matrix)
    {
        var texts = new string[matrix.Rows, matrix.Columns];
        int longest = 1;
        for (int i = 0; i < matrix.Rows; i++)
            for (int j = 0; j < matrix.Columns; j++)
                longest = Math.Max(longest, (texts[i, j] = Numbers.Format(matrix.Values[i, j])).Length);
        int cellWidth = Math.Max(CellHeight, longest * CharWidth + 12);
        int gridLeft = IndexSize + Padding, gridTop = TitleHeight + IndexSize;
        int gridWidth = matrix.Columns * cellWidth, gridHeight = matrix.Rows * CellHeight;
        int width = Math.Max(gridLeft + gridWidth + Padding, matrix.Label.Length * 7 + 2 * Padding);
        int height = gridTop + gridHeight + Padding;
        double scale = matrix.Values.Cast<double>().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();

        var svg = new XElement("svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"), new XAttribute("role", "img"),
            new XAttribute("class", matrix.Role == MatrixRole.Difference ? "heatmap difference" : "heatmap"),
            new XElement("title", matrix.Label),
            Text(Padding, 14, matrix.Label, "start", "label"));
        for (int j = 0; j < matrix.Columns; j++)
            svg.Add(Text(gridLeft + j * cellWidth + cellWidth / 2.0, TitleHeight + 11, (j + 1).ToString(CultureInfo.InvariantCulture), "middle", "index"));
        for (int i = 0; i < matrix.Rows; i++)
        {
            svg.Add(Text(IndexSize / 2.0, gridTop + i * CellHeight + CellHeight / 2.0 + 4, (i + 1).ToString(CultureInfo.InvariantCulture), "middle", "index"));
            for (int j = 0; j < matrix.Columns; j++)
            {
                double x = gridLeft + j * cellWidth, y = gridTop + i * CellHeight;
                double v = matrix.Values[i, j];
                bool marked = matrix.IsMarked(i, j);
                svg.Add(new XElement("rect",
                    new XAttribute("x", x), new XAttribute("y", y),
                    new XAttribute("width", cellWidth), new XAttribute("height", CellHeight),
                    new XAttribute("fill", matrix.Role == MatrixRole.Difference ? DifferenceColour(v) : HeatColour(v, scale)),
                    new XAttribute("class", marked ? "cell marked" : "cell")));
                svg.Add(Text(x + cellWidth / 2.0, y + CellHeight / 2.0 + 5, texts[i, j], "middle",
                    Math.Abs(v) > 0.6 * scale && matrix.Role == MatrixRole.Value ? "value strong" : "value"));
            }
        }
        return svg;
    }

    /// <summary>The style rules the heatmaps use, for the page's one style sheet.</summary>
    public const string Style =
        "svg.heatmap text { font-family: " + Font + "; }\n" +
        "svg.heatmap .label { font-size: 12px; font-weight: 600; fill: #222; }\n" +
        "svg.heatmap .index { font-size: 10px; fill: #888; }\n" +
        "svg.heatmap .value { font-size: 14px; fill: #111; }\n" +
        "svg.heatmap .strong { fill: #fff; }\n" +
        "svg.heatmap .cell { stroke: #fff; stroke-width: 1; }\n" +
        "svg.heatmap .marked { stroke: #333; stroke-width: 1.5; stroke-dasharray: 3 2; }\n";

    private static XElement Text(double x, double y, string content, string anchor, string cssClass) =>
        new("text", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("text-anchor", anchor),
            new XAttribute("class", cssClass), content);

    /// <summary>Diverging colour: white at 0, #2166ac (blue) at -scale, #b2182b (red) at +scale.</summary>
    private static string HeatColour(double v, double scale)
    {
        if (!double.IsFinite(v))
            return "#000000";
        double t = scale == 0 ? 0 : Math.Clamp(v / scale, -1, 1);
        var (r, g, b) = t >= 0 ? (0xb2, 0x18, 0x2b) : (0x21, 0x66, 0xac);
        double s = Math.Abs(t);
        return Hex(255 + (r - 255) * s, 255 + (g - 255) * s, 255 + (b - 255) * s);
    }

    private static string DifferenceColour(double v) => v == 0 ? "#d9f2e0" : "#f28b82";

    private static string Hex(double r, double g, double b) =>
        string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(r):x2}{(int)Math.Round(g):x2}{(int)Math.Round(b):x2}");
}
