namespace Runtime.Sidecar.Routing;

/// <summary>A mirror destination before the request port is known.</summary>
/// <param name="Host">Qualified destination host.</param>
/// <param name="Subset">Subset, or null.</param>
/// <param name="Port">Explicit destination port, or null to use the request's.</param>
/// <param name="Percentage">Share of requests mirrored.</param>
internal sealed record MirrorSpec(string Host, string? Subset, int? Port, double Percentage);
