namespace Runtime.Abstractions.Mesh;

/// <summary>Where and how access-log lines go, from mesh config.</summary>
/// <param name="Path"><c>/dev/stdout</c> (the sidecar's own access-log destination, <c>--access-log-path</c>) or a file path.</param>
/// <param name="Encoding">TEXT or JSON; null for the sidecar's own <c>--access-log-format</c>.</param>
/// <param name="Template">A text format string; null for the default line.</param>
/// <param name="Labels">JSON keys and their format strings (an <c>envoyFileAccessLog</c>'s <c>logFormat.labels</c>); null for the default object.</param>
public sealed record AccessLogOutput(string Path, AccessLogEncoding? Encoding, AccessLogTemplate? Template, IReadOnlyDictionary<string, AccessLogTemplate>? Labels)
{
    /// <summary>The path that means the sidecar's own access-log destination.</summary>
    public const string Stdout = "/dev/stdout";

    /// <summary>Whether lines go to the sidecar's own destination rather than a file of their own.</summary>
    public bool IsStdout => Path == Stdout;
}
