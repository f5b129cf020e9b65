namespace Runtime.Sidecar.Metrics;

/// <summary>What the access-log line of one TCP connection says besides its counters.</summary>
/// <param name="Outbound">True on the outbound listener (client side).</param>
/// <param name="Flags">The response flags (one of <see cref="ResponseFlags"/>' instances).</param>
/// <param name="Authority">The tunnel's target, <c>host:port</c>, as the CONNECT named it.</param>
/// <param name="UpstreamHost">Where the sidecar connected, <c>address:port</c>; null when it connected nowhere.</param>
/// <param name="Source">The source identity (SPIFFE id, else workload.namespace), or null.</param>
/// <param name="Destination">The destination identity, or null.</param>
internal sealed record TcpLogFields(bool Outbound, string Flags, string Authority, string? UpstreamHost, string? Source, string? Destination);
