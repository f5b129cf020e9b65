namespace Runtime.Abstractions.Networking;

/// <summary>How a ServiceEntry's endpoints are resolved.</summary>
public enum ServiceResolution
{
    /// <summary><c>NONE</c>: Use the original destination address.</summary>
    None,

    /// <summary><c>STATIC</c>: Use the listed endpoint addresses.</summary>
    Static,

    /// <summary><c>DNS</c>: Resolve the hosts or endpoint names by DNS, using all addresses.</summary>
    Dns,

    /// <summary><c>DNS_ROUND_ROBIN</c>: Resolve by DNS, using the first address only.</summary>
    DnsRoundRobin,
}
