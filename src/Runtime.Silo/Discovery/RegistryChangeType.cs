namespace Runtime.Silo.Discovery;

/// <summary>What happened to a registration.</summary>
internal enum RegistryChangeType
{
    /// <summary>A new proxy registered.</summary>
    Registered,

    /// <summary>A registered proxy re-registered with a different identity (address, labels, ...).</summary>
    Updated,

    /// <summary>The proxy deregistered cleanly.</summary>
    Deregistered,

    /// <summary>The proxy missed its heartbeats for longer than the TTL.</summary>
    Expired,
}
