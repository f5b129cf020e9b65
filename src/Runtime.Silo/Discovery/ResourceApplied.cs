using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Discovery;

/// <summary>How far one resource has been applied: the "N/M" of <c>meshctl get</c>'s APPLIED column.</summary>
/// <param name="Key">The resource.</param>
/// <param name="ResourceVersion">Its current resourceVersion as distribution knows it; 0 when it is not distributed.</param>
/// <param name="Applied">Proxies whose ACKed snapshot holds it at <paramref name="ResourceVersion"/>.</param>
/// <param name="Proxies">Registered proxies that should hold it.</param>
internal sealed record ResourceApplied(ResourceKey Key, long ResourceVersion, int Applied, int Proxies);
