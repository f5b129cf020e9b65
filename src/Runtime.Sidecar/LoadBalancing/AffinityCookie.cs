namespace Runtime.Sidecar.LoadBalancing;

/// <summary>A session-affinity cookie the response must set so later requests hash to the same endpoint.</summary>
/// <param name="Name">Cookie name.</param>
/// <param name="Value">Cookie value; hashing it picks the endpoint.</param>
/// <param name="Path">Cookie path, or null.</param>
/// <param name="Ttl">Max-Age; zero means a session cookie (Envoy's rule for a zero TTL).</param>
internal sealed record AffinityCookie(string Name, string Value, string? Path, TimeSpan Ttl);
