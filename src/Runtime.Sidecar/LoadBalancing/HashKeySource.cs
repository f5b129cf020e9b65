namespace Runtime.Sidecar.LoadBalancing;

/// <summary>Which part of the request a consistent-hash balancer hashes.</summary>
internal enum HashKeySource
{
    /// <summary>Nothing configured: every pick is random.</summary>
    None,

    /// <summary>An HTTP header's value.</summary>
    Header,

    /// <summary>A cookie's value (issued by the proxy when absent and a TTL is set).</summary>
    Cookie,

    /// <summary>The source IP.</summary>
    SourceIp,

    /// <summary>A query parameter's value.</summary>
    QueryParameter,
}
