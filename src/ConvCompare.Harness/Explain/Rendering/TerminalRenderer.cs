using ConvCompare.Explain.Model;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ConvCompare.Explain.Rendering;

/// <summary>The walk-through on an interactive terminal: matrices as aligned Spectre.Console tables side by side, coloured by sign.</summary>
internal static class TerminalRenderer
{
    /// <summary>Writes the whole walk-through to <paramref name="console"/>.</summary>
    public static void Write(Walkthrough walkthrough, IAnsiConsole console)
    {
        console.Write(new Markup($"[bold]{Markup.Escape(Headline.Title(walkthrough))}[/]\n"));
        console.WriteLine(Headline.Text(walkthrough));
        foreach (var part in walkthrough.Parts)
        {
            console.WriteLine();
            console.Write(new Rule($"[bold]Part {part.Number}. {Markup.Escape(part.Title)}[/]") { Justification = Justify.Left });
            console.WriteLine(part.Introduction);
            foreach (var step in part.Steps)
                Step(step, console);
        }
        console.WriteLine();
        console.Write(new Markup((walkthrough.Passed ? "[bold green]" : "[bold red]") + Markup.Escape(TextLayout.Verdict(walkthrough)) + "[/]\n"));
    }

    private static void Step(WalkthroughStep step, IAnsiConsole console)
    {
        console.WriteLine();
        console.Write(new Markup($"[bold blue]{Markup.Escape(step.EquationLabel)}[/]  [bold]{Markup.Escape(step.Title)}[/]\n"));
        foreach (var paragraph in step.Prose)
            console.WriteLine(paragraph);
        if (step.Sums.Count > 0)
            console.Write(new Text("\n" + string.Join("\n", step.Sums.SelectMany(TextLayout.Sum)) + "\n", new Style(Color.Grey93)));
        foreach (var row in step.Rows)
        {
            console.WriteLine();
            if (row.Caption is not null)
                console.Write(new Markup($"[italic grey]{Markup.Escape(row.Caption)}[/]\n"));
            console.Write(new Columns(row.Matrices.Select(Table)) { Expand = false, Padding = new Padding(0, 0, 3, 0) });
            foreach (var legend in row.MarkLegends)
                console.Write(new Markup($"[grey]  dim, underlined in {Markup.Escape(legend)}[/]\n"));
        }
        if (step.Checks.Count == 0)
            return;
        var checks = new Table().Border(TableBorder.Simple).AddColumns("check", "max |difference|", "bound", "result");
        foreach (var check in step.Checks)
            checks.AddRow(new Text(check.Quantity), new Text(Numbers.Format(check.MaxAbsDifference)).RightJustified(),
                new Text(Numbers.Format(check.Bound)).RightJustified(),
                new Markup(check.Passed ? "[green]pass[/]" : "[bold red]FAIL[/]"));
        console.Write(checks);
    }

    private static IRenderable Table(LabelledMatrix matrix)
    {
        var table = new Table { ShowHeaders = false, Border = TableBorder.Rounded };
        if (matrix.Role == MatrixRole.Difference)
            table.BorderColor(matrix.Values.Cast<double>().All(v => v == 0) ? Color.Green : Color.Red);
        for (int j = 0; j < matrix.Columns; j++)
            table.AddColumn(new TableColumn("") { Alignment = Justify.Right, Padding = new Padding(1, 0) });
        for (int i = 0; i < matrix.Rows; i++)
            table.AddRow(Enumerable.Range(0, matrix.Columns).Select(j => Cell(matrix, i, j)).ToArray());
        // The label sits above the grid rather than as the table's title, which Spectre truncates to the grid's width.
        return new Rows(new Text(matrix.Label, new Style(decoration: Decoration.Bold)), table);
    }

    private static IRenderable Cell(LabelledMatrix matrix, int i, int j)
    {
        double v = matrix.Values[i, j];
        var colour = matrix.Role == MatrixRole.Difference ? (v == 0 ? Color.Green : Color.Red)
            : v < 0 ? Color.DeepSkyBlue1 : v > 0 ? Color.IndianRed1 : Color.Grey;
        var decoration = matrix.IsMarked(i, j) ? Decoration.Dim | Decoration.Underline : Decoration.None;
        return new Text(Numbers.Format(v), new Style(colour, decoration: decoration));
    }
}
