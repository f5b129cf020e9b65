namespace Runtime.Sidecar.Tracing;

/// <summary>A custom span tag with a fixed value (a literal, or an environment variable read once).</summary>
internal sealed record SpanTag(string Name, string Value);
