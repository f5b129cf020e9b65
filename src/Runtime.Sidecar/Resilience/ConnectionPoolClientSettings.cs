using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// What a cluster's pooled upstream client is built from. Clusters whose settings are equal share one client
/// (value equality is the cache key).
/// </summary>
/// <param name="ConnectTimeout"><c>tcp.connectTimeout</c>; default 10 s (Istio).</param>
/// <param name="MaxConnectionsPerEndpoint"><c>tcp.maxConnections</c>, per endpoint as SocketsHttpHandler counts them.</param>
/// <param name="IdleTimeout"><c>http.idleTimeout</c> (then <c>tcp.idleTimeout</c>); default 1 h (Istio); 0 means never.</param>
/// <param name="Lifetime"><c>tcp.maxConnectionDuration</c>; zero when <c>maxRequestsPerConnection: 1</c> (no reuse at all).</param>
/// <param name="Keepalive">TCP keepalive probing, or null for the OS default (off).</param>
/// <param name="MaxRequestsPerConnection"><c>http.maxRequestsPerConnection</c> above 1 (counted per HTTP/1.1 connection), else 0.</param>
internal sealed record ConnectionPoolClientSettings(TimeSpan ConnectTimeout, int MaxConnectionsPerEndpoint, TimeSpan IdleTimeout, TimeSpan Lifetime, ConnectionPoolKeepalive? Keepalive, int MaxRequestsPerConnection = 0)
{
    /// <summary>
    /// The settings for a cluster, or null when nothing in <paramref name="pool"/> shapes the client (the
    /// forwarder's shared client then serves the cluster). <c>maxRequestsPerConnection: 1</c> disables reuse
    /// exactly (zero connection lifetime, any protocol). Values above 1 are counted per cleartext HTTP/1.1 connection
    /// (<see cref="ConnectionPoolRequestCountingStream"/>); on HTTP/2 connections they are not enforced, as
    /// SocketsHttpHandler neither counts streams per connection nor lets a caller retire one.
    /// </summary>
    public static ConnectionPoolClientSettings? From(ConnectionPoolSettings? pool)
    {
        var tcp = pool?.Tcp;
        var http = pool?.Http;
        if (tcp is null && http is null)
        {
            return null;
        }

        if (tcp?.ConnectTimeout is null && tcp?.MaxConnections is null && tcp?.TcpKeepalive is null && tcp?.MaxConnectionDuration is null
            && tcp?.IdleTimeout is null && http?.IdleTimeout is null && http?.MaxRequestsPerConnection is null or 0)
        {
            return null;
        }

        var idle = http?.IdleTimeout?.Value ?? tcp?.IdleTimeout?.Value ?? TimeSpan.FromHours(1);
        var lifetime = http?.MaxRequestsPerConnection == 1 ? TimeSpan.Zero
            : tcp?.MaxConnectionDuration?.Value is { } duration && duration > TimeSpan.Zero ? duration
            : Timeout.InfiniteTimeSpan;
        return new ConnectionPoolClientSettings(
            tcp?.ConnectTimeout?.Value is { } connect && connect > TimeSpan.Zero ? connect : TimeSpan.FromSeconds(10),
            tcp?.MaxConnections is > 0 and var max ? max : int.MaxValue,
            idle == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : idle,
            lifetime,
            ConnectionPoolKeepalive.From(tcp?.TcpKeepalive),
            http?.MaxRequestsPerConnection is > 1 and var perConnection ? perConnection : 0);
    }

    /// <summary>The forwarder client options these settings describe.</summary>
    public ForwarderClientOptions ToOptions() => new()
    {
        ConnectTimeout = ConnectTimeout,
        MaxConnectionsPerServer = MaxConnectionsPerEndpoint,
        PooledConnectionIdleTimeout = IdleTimeout,
        PooledConnectionLifetime = Lifetime,
        ConnectCallback = Keepalive is null && MaxRequestsPerConnection <= 1 ? null : new ConnectionPoolConnector(Keepalive, MaxRequestsPerConnection).ConnectAsync,
    };
}
