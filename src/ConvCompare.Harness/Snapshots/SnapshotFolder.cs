namespace ConvCompare.Snapshots;

/// <summary>Finds the repository's <c>snapshots/</c> folder: beside the nearest ConvCompare.sln above a start directory.</summary>
internal static class SnapshotFolder
{
    /// <summary>The solution file that marks the repository root.</summary>
    public const string SolutionFile = "ConvCompare.sln";

    /// <summary>The folder name at the repository root.</summary>
    public const string Name = "snapshots";

    /// <summary>The snapshots folder of the repository containing <paramref name="startDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">No directory above holds ConvCompare.sln.</exception>
    public static string Locate(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                return Path.Combine(directory.FullName, Name);
        }
        throw new DirectoryNotFoundException(
            $"no {SolutionFile} found in {startDirectory} or above it; run from inside the ConvCompare repository");
    }
}
