using ConvCompare.Bench;

namespace ConvCompare.Tests.Bench;

/// <summary>The tuned child hands its measurements back as JSON: thread counts and peaks must survive the trip.</summary>
public class BenchReportRoundTripTests
{
    [Fact]
    public void Report_KeepsThreadsPercentOfPeakAndPeaks()
    {
        var measurement = new BenchMeasurement("mv2.dw960", "f64", "vectorized", "tuned", BenchPass.FwdBwd, 2, 1, 3, 40, 15)
        {
            Threads = 1, PercentOfPeak = 12.5, RatioToTorch = 0.75,
        };
        var report = new BenchReport("convcompare", "1.0.0", MachineInfo.Detect(2), [measurement]) { Peaks = [new("f64", 1, 512, 320)] };
        string path = Path.Combine(Path.GetTempPath(), $"bench-roundtrip-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, report.ToJson());
            var read = BenchReport.Read(path);

            Assert.Equal(measurement, Assert.Single(read.Measurements));
            Assert.Equal(report.Peaks, read.Peaks);
            Assert.Contains("\"percent_of_peak\": 12.5", File.ReadAllText(path), StringComparison.Ordinal);
            Harness.ReportConvention.AssertFollowed(File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
