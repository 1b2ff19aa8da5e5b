using System.Text.Json;
using System.Xml.Linq;
using ConvCompare.Training;

namespace ConvCompare.Tests.Training;

public class TraceOutputTests
{
    private static readonly TrainingResult Result = new(
        new TrainingOptions(3, 4, 0.05, 0.9, null, 1, false), 1417, 1.6e-13,
        [
            new StepRecord(1, 2.07, 2.07, 1e-12, 1e-16, 1e-4, "conv1.weight", 1e-9),
            new StepRecord(2, 2.05, 2.05 + 1e-15, 2e-12, 2e-16, 2e-4, "dense.bias", 2e-9),
            new StepRecord(3, 2.01, 2.5, 3e-12, 0.1, double.PositiveInfinity, "conv1.weight", 3e-9),
        ],
        ShapeDataset.Generate(1, 8, 8), [], []);

    private static readonly ClassificationMetrics Metrics = new("m", 0.5, 0.25, 1.5, [[1, 0], [2, 3]]);

    [Fact]
    public void Json_HoldsEveryStepTheVerdictAndTheMetrics()
    {
        var stream = new MemoryStream();
        TraceJson.Write(stream, Result, [Metrics]);
        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;

        Assert.False(root.GetProperty("within_bound").GetBoolean());
        Assert.Equal(3, root.GetProperty("first_divergence").GetInt32());
        Assert.Equal(3, root.GetProperty("trace").GetArrayLength());
        Assert.Equal("Infinity", root.GetProperty("trace")[2].GetProperty("bound_usage").GetString());
        Assert.Equal(2.05 + 1e-15, root.GetProperty("trace")[1].GetProperty("loss_torchsharp").GetDouble());
        Assert.Equal(3, root.GetProperty("evaluation")[0].GetProperty("confusion_matrix")[1][1].GetDouble());
        Harness.ReportConvention.AssertFollowed(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Svg_IsWellFormedWithBothLossCurvesTheDifferenceAndTheBound()
    {
        var svg = XDocument.Parse(LossPlotSvg.Render(Result));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length));
    }
}
