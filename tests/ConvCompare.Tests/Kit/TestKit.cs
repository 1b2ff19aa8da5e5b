using ConvCompare.Cases;
using ConvCompare.Kit;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// A small kit for the protocol tests, named case by case so that it reaches every part of the contract
/// while a pure-Python implementation fills it in well under a second: both dtypes, dx and delta (every
/// activation), no bias, groups, dilation, stride, asymmetric padding, and special values (non-finite
/// inputs, values near the float32 maximum, subnormals).
/// </summary>
internal sealed class TestKit : IDisposable
{
    /// <summary>The cases, in the manifest's order.</summary>
    public static IReadOnlyList<string> Ids { get; } =
    [
        "n2c2h5w4-o2k3x2-s2x1-p1,0,1,1-d1x1-g1-f32-relu-v11",
        "n1c4h4w5-o2k2x2-s1x1-p0,0,0,0-d2x1-g2-f64-nb-v12",
        "n2c1h3w3-o1k1x1-s1x1-p0,0,0,0-d1x1-g1-f32-sigmoid-v13",
        "n1c2h4w4-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-lrelu-v14",
        "n2c3h5w5-o2k2x3-s1x2-p0,1,2,0-d1x1-g1-f32-tanh-v15",
        "n2c2h4w4-o2k2x2-s1x1-p1,1,1,1-d1x1-g1-f64-nonfinite-v16",
        "n1c2h4w4-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-max-v17",
        "n1c2h3w3-o2k2x2-s1x1-p0,0,0,0-d1x1-g1-f32-sub-v18",
    ];

    /// <summary>The case whose output the bad-output tests spoil: float32, with a bias and an activation (so its input gradient is 'delta').</summary>
    public static string Spoiled => Ids[0];

    /// <summary>The one case without a bias.</summary>
    public static string WithoutBias => Ids[1];

    /// <summary>Writes the kit into a new temporary folder.</summary>
    public TestKit()
    {
        var configs = Ids.Select(id => Assert.IsType<CaseConfig>(CaseId.TryParse(id, out var c, out string error) ? c : throw new InvalidOperationException(error))).ToList();
        KitWriter.Write(Folder, configs, new KitOrigin(null, null, "both"));
    }

    /// <summary>The kit's folder.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("convcompare-kit-").FullName;

    /// <summary>The output file of case <paramref name="id"/>.</summary>
    public string Output(string id) => Path.Combine(Folder, KitFormat.OutputsFolder, KitFormat.FileName(id));

    /// <summary>A path beside the kit (for reports).</summary>
    public string Beside(string name) => Path.Combine(Path.GetDirectoryName(Folder)!, Path.GetFileName(Folder) + "-" + name);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(Folder)!, Path.GetFileName(Folder) + "-*"))
            File.Delete(file);
    }
}
