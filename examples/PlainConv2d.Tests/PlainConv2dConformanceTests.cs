using ConvCompare.Implementations;

namespace PlainConv.Tests;

/// <summary>The plain conv2d swept by the harness: one test result per case.</summary>
public class PlainConv2dConformanceTests
{
    private static readonly ImplementationRegistry Registry = new ImplementationRegistry().Register(new PlainConv2dImplementation());

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (implementation, caseId) in Conformance.Cases(Registry, count: 24))
            data.Add(implementation, caseId);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PlainConv2d_IsWithinRoundingErrorOfTheJudge(string implementation, string caseId) =>
        Conformance.Assert(Registry, implementation, caseId);
}
