using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>HTTP request limits.</summary>
public sealed record HttpConnectionPool
{
    /// <summary>Maximum queued requests.</summary>
    public int? Http1MaxPendingRequests { get; init; }

    /// <summary>Maximum active requests.</summary>
    public int? Http2MaxRequests { get; init; }

    /// <summary>Requests per connection before it is recycled; 1 disables keep-alive.</summary>
    public int? MaxRequestsPerConnection { get; init; }

    /// <summary>Maximum concurrent retries.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Idle timeout of upstream connections.</summary>
    public MeshDuration? IdleTimeout { get; init; }

    /// <summary>Whether HTTP/1.1 is upgraded to HTTP/2.</summary>
    public H2UpgradePolicy? H2UpgradePolicy { get; init; }

    /// <summary>Use the client's protocol upstream.</summary>
    public bool? UseClientProtocol { get; init; }

    /// <summary>Maximum concurrent streams per HTTP/2 connection.</summary>
    public int? MaxConcurrentStreams { get; init; }
}
