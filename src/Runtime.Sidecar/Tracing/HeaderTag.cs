namespace Runtime.Sidecar.Tracing;

/// <summary>A custom span tag taken from request header <paramref name="Header"/>, else <paramref name="DefaultValue"/> (no tag when both are missing).</summary>
internal sealed record HeaderTag(string Name, string Header, string? DefaultValue);
