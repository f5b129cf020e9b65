namespace Runtime.Cli.Manifests;

/// <summary>A manifest read from a file or standard input, before parsing.</summary>
/// <param name="Source">The file path as the user gave it, or <c>-</c> for standard input.</param>
/// <param name="Content">The file's text.</param>
internal sealed record ManifestText(string Source, string Content);
