using ConvCompare.Cases;
using ConvCompare.Snapshots;
using ConvRef;

namespace ConvCompare.Tests.Snapshots;

/// <summary>
/// The stored Eq 1 snapshot holds dJ/da to the rotated kernel: Eq 5 recomputed here from ConvRef's
/// plane operations reproduces it, and the same recomputation with the kernel as it is instead of
/// Rot180(kernel) is caught, naming the elements of dJ/da that moved. This tests the snapshot and its
/// comparer against a kernel-orientation error; it does not change ConvRef. That the suite catches
/// such an error inside ConvRef is measured by mutation testing (docs/testing.md): every mutant of
/// <c>Plane.Rot180</c> and of the serial Eq 5 is killed.
/// </summary>
public class WorkedExampleRegressionTests
{
    private static readonly WorkedExample Example = WorkedExample.Eq1;

    private static double[] InputGradient(bool rotate)
    {
        var delta = Plane2d(Example.Delta);
        var kernel = Plane2d(Example.Weights);
        var dx = Plane.FullConvolve(delta, rotate ? Plane.Rot180(kernel) : kernel);
        return [.. dx.Cast<double>()];
    }

    private static double[,] Plane2d(Tensor<double> t)
    {
        int h = t.Shape[2], w = t.Shape[3];
        var plane = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                plane[i, j] = t[0, 0, i, j];
        return plane;
    }

    private static IReadOnlyList<SnapshotDifference> CompareWithStored(double[] dx)
    {
        var results = Example.Results()
            .Select(r => r.Kind == TensorKind.Dx ? r with { Values = dx } : r)
            .ToList();
        string stored = File.ReadAllText(SnapshotStore.ForRepository(AppContext.BaseDirectory).StoredPath(Example.Name));
        return SnapshotComparer.Compare(stored, Example.Snapshot(results));
    }

    [Fact]
    public void Eq5RecomputedWithRot180_ReproducesTheStoredSnapshot() =>
        Assert.Empty(CompareWithStored(InputGradient(rotate: true)));

    [Fact]
    public void Eq5RecomputedWithoutRot180_IsCaughtByTheStoredSnapshot_NamingTheMovedElements()
    {
        var differences = CompareWithStored(InputGradient(rotate: false));

        Assert.NotEmpty(differences);
        Assert.All(differences, d => Assert.StartsWith("$.tensors.dx.values[", d.Path, StringComparison.Ordinal));
        Assert.Contains(differences, d => d.ToString().StartsWith("dx[0,0,0,0]: stored 1, now 4", StringComparison.Ordinal));
        Assert.All(differences, d => Assert.Contains("(must be exact)", d.ToString(), StringComparison.Ordinal));
    }
}
