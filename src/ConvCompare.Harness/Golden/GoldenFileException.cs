namespace ConvCompare.Golden;

/// <summary>
/// A golden-case file that cannot be used: truncated, malformed, or inconsistent with the format.
/// The message is one sentence, <c>&lt;file&gt;: &lt;problem&gt;</c>, meant to be printed as is: the file's
/// name is escaped (a name found in a directory is untrusted text), and the problem must quote text
/// from the file only through <see cref="Limits.UntrustedText"/>.
/// </summary>
/// <param name="file">The file as the user named it.</param>
/// <param name="problem">What is wrong with it.</param>
internal sealed class GoldenFileException(string file, string problem) : Exception(Limits.UntrustedText.Escape(file) + ": " + problem);
