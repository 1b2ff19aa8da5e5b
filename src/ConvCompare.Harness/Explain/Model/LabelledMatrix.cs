namespace ConvCompare.Explain.Model;

/// <summary>What a matrix is in a comparison: a plain value, or the difference ConvRef - autograd.</summary>
internal enum MatrixRole
{
    /// <summary>A value computed by ConvRef, by autograd, or given as input.</summary>
    Value,
    /// <summary>ConvRef minus autograd; drawn on its own scale.</summary>
    Difference,
}

/// <summary>
/// One 2-D plane of numbers with a label (e.g. "Rot180(w)"), 1-based row/column labels when shown,
/// and optionally marked cells with the reason they are marked (zeros added by padding, rows no
/// window covers).
/// </summary>
internal sealed record LabelledMatrix(string Label, double[,] Values, MatrixRole Role = MatrixRole.Value)
{
    /// <summary>Cells to set apart; null when none.</summary>
    public bool[,]? Marked { get; init; }

    /// <summary>Why the marked cells are marked, e.g. "zero added for full mode".</summary>
    public string? MarkNote { get; init; }

    /// <summary>Number of rows.</summary>
    public int Rows => Values.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => Values.GetLength(1);

    /// <summary>True when cell (i, j) is marked.</summary>
    public bool IsMarked(int i, int j) => Marked is { } m && m[i, j];
}

/// <summary>Matrices shown side by side, with an optional caption ("filter 2", "ConvRef | autograd | difference").</summary>
internal sealed record MatrixRow(string? Caption, IReadOnlyList<LabelledMatrix> Matrices)
{
    /// <summary>One line per reason for marking: "which matrices: why", e.g. "δ padded for full mode: zero added for full mode".</summary>
    public IEnumerable<string> MarkLegends =>
        Matrices.Where(m => m.MarkNote is not null).GroupBy(m => m.MarkNote!)
            .Select(g => string.Join(", ", g.Select(m => m.Label)) + ": " + g.Key);
}
