using System.Net.Security;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Connection-pool settings for one upstream client (Istio <c>connectionPool</c> maps onto these).</summary>
internal sealed record ForwarderClientOptions
{
    /// <summary>TCP (and TLS) connect timeout. Default 10 s (Istio's default); must be positive.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle pooled connection is kept. Default 60 s; must be positive or infinite.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The maximum age of a pooled connection (Istio <c>maxConnectionDuration</c>). Default infinite.</summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Connections per upstream endpoint (Istio <c>maxConnections</c>). Default unlimited; must be at least 1.</summary>
    public int MaxConnectionsPerServer { get; init; } = int.MaxValue;

    /// <summary>The largest accepted upstream response header block, in KiB. Default 64.</summary>
    public int MaxResponseHeadersLengthKilobytes { get; init; } = 64;

    /// <summary>TLS settings for <c>https</c> upstreams (mesh mTLS); null uses the platform defaults.</summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>The clock that ages unused TLS pool partitions (see <see cref="TlsPartitionedHandler"/>). Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Opens the upstream connection (e.g. to set socket options such as TCP keepalive); null uses the default.</summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectCallback { get; init; }
}
