using TorchSharp;

namespace ConvCompare.Oracles;

/// <summary>Loads libtorch once and turns a load failure into one sentence a user can act on.</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<string?> LoadError = new(TryLoad);

    /// <summary>The TorchSharp assembly version, e.g. 0.107.0.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>The libtorch version TorchSharp was built against (from its package description).</summary>
    public static string LibTorchVersion => "2.10.0";

    /// <summary>Null when libtorch is usable, otherwise why not and what to do.</summary>
    public static string? Problem => LoadError.Value;

    /// <summary>Throws <see cref="TorchUnavailableException"/> with <see cref="Problem"/> when libtorch cannot be used.</summary>
    public static void EnsureLoaded()
    {
        if (Problem is { } problem)
            throw new TorchUnavailableException(problem);
    }

    private static string? TryLoad()
    {
        try
        {
            torch.set_num_threads(Math.Min(Environment.ProcessorCount, 2));
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            return "TorchSharp could not load libtorch (" + Innermost(ex).Message.Split('\n')[0].Trim() + "); " +
                   "on Linux rebuild with 'dotnet build' so the build step marks libLibTorchSharp.so's " +
                   "GLIBCXX_3.4.32 need weak (see README, 'TorchSharp on Debian 12'), and check that the " +
                   "libtorch-cpu package restored.";
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }
}

/// <summary>libtorch cannot be used on this machine; the message says why and what to do.</summary>
internal sealed class TorchUnavailableException(string message) : Exception(message);
