using System.Text.Json;
using System.Text.RegularExpressions;
using ConvCompare.Reports;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// Asserts the convention every JSON report follows: <c>schema_version</c> first and equal to the
/// current version, and every field name snake_case. Objects that map data to values (coverage
/// classes such as <c>activation relu</c>) hold names taken from the data, not field names, and are skipped.
/// </summary>
internal static partial class ReportConvention
{
    private static readonly HashSet<string> DataKeyedObjects = ["coverage"];

    public static void AssertFollowed(string json, int version = ReportSchema.Version)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var first = root.EnumerateObject().First();
        Assert.Equal(ReportSchema.VersionField, first.Name);
        Assert.Equal(version, first.Value.GetInt32());
        var wrong = new List<string>();
        Walk(root, "$", wrong);
        Assert.True(wrong.Count == 0, "field names not in snake_case: " + string.Join(", ", wrong));
    }

    private static void Walk(JsonElement element, string path, List<string> wrong)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
                Walk(item, $"{path}[{i++}]", wrong);
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!SnakeCase().IsMatch(property.Name))
                    wrong.Add($"{path}.{property.Name}");
                if (!DataKeyedObjects.Contains(property.Name))
                    Walk(property.Value, $"{path}.{property.Name}", wrong);
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
