using ConvCompare.Cli;
using ConvCompare.Tests.Cli;

namespace ConvCompare.Tests.Kit;

/// <summary>
/// Judging a kit never needs TorchSharp: on a copy of the program without libtorch's native libraries,
/// kit and judge run to their verdict, and only judge --torch, which asks for it, is exit code 3.
/// </summary>
public sealed class JudgeWithoutLibtorchTests(WithoutLibtorchTests.ProgramWithoutLibtorch program)
    : IClassFixture<WithoutLibtorchTests.ProgramWithoutLibtorch>, IDisposable
{
    private readonly string _kit = Path.Combine(program.Folder, "kit-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_kit, recursive: true);

    [SkippableFact]
    public void KitAndJudge_WithoutLibtorch_GiveTheirVerdict_AndOnlyJudgeTorchNeedsIt()
    {
        OutsideProgram.SkipUnlessAvailable();
        var written = program.Run(["kit", _kit, "--cases", "3", "--seed", "4"]);
        Assert.True(written.Code == ExitCodes.Passed, written.Stderr);
        OutsideProgram.Fill(_kit);

        var judged = program.Run(["judge", _kit]);
        var withTorch = program.Run(["judge", _kit, "--torch"]);

        Assert.True(judged.Code == ExitCodes.Passed, judged.Stdout + judged.Stderr);
        Assert.Contains("judge: 3 cases, 3 passed", judged.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.TorchUnavailable, withTorch.Code);
        Assert.Contains("TorchSharp could not load libtorch", Assert.Single(withTorch.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
