using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Telemetry;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// Istio's TCP metrics for connections tunnelled through this sidecar: the same peers, principals and
/// <c>connection_security_policy</c> as the request metrics, <c>request_protocol="tcp"</c>, and no response code.
/// </summary>
internal sealed partial class RequestMetrics
{
    private readonly ConcurrentDictionary<RequestSeriesKey, TcpSeries> _tcpSeries = new();

    /// <summary>Every TCP series with its key; a live view that only grows.</summary>
    public IEnumerable<KeyValuePair<RequestSeriesKey, TcpSeries>> TcpSeries => _tcpSeries;

    /// <summary>
    /// Counts a connection opened on the outbound listener towards <paramref name="endpoint"/> of
    /// <paramref name="cluster"/> (either null when routing failed), with <paramref name="flags"/> for a failure.
    /// </summary>
    public TcpConnectionTally OpenOutbound(ProxyState? state, Cluster? cluster, MeshEndpoint? endpoint, string flags, string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var note = state is null || cluster is null ? null : Upstream(state, cluster, endpoint);
        var key = new RequestSeriesKey(true, LocalWithPrincipal(), note?.Labels ?? PeerLabels.Unknown, 0, ResponseFlags.Of(flags), false, -1, SecurityPolicy.Unknown);
        return new TcpConnectionTally(TcpSeriesFor(key), _accessLog, new TcpLogFields(true, key.ResponseFlags, authority, note?.Host, Identity(key.Source), Identity(key.Destination)), Flagged(key));
    }

    /// <summary>
    /// Counts a connection opened on the inbound listener by the peer on <paramref name="tls"/> (null: plaintext),
    /// named further by the metadata header of its CONNECT, with <paramref name="flags"/> for a failure.
    /// </summary>
    public TcpConnectionTally OpenInbound(TlsPeerConnection? tls, IHeaderDictionary headers, string flags, string authority, string? appAddress)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var key = new RequestSeriesKey(
            false, tls is null ? PeerLabels.Unknown : PeerOf(tls.Peer, headers), tls is null ? _local : LocalWithPrincipal(), 0, ResponseFlags.Of(flags), false, -1,
            tls is null ? SecurityPolicy.None : SecurityPolicy.MutualTls);
        return new TcpConnectionTally(TcpSeriesFor(key), _accessLog, new TcpLogFields(false, key.ResponseFlags, authority, appAddress, Identity(key.Source), Identity(key.Destination)), Flagged(key));
    }

    /// <summary>The series of <paramref name="key"/>'s connection with other response flags.</summary>
    private Func<string, TcpSeries> Flagged(RequestSeriesKey key) => flags =>
        TcpSeriesFor(new RequestSeriesKey(key.Outbound, key.Source, key.Destination, key.ResponseCode, ResponseFlags.Of(flags), key.Grpc, key.GrpcStatus, key.Security));

    private TcpSeries TcpSeriesFor(RequestSeriesKey key) =>
        _tcpSeries.TryGetValue(key, out var found) ? found : _tcpSeries.GetOrAdd(key, static k => new TcpSeries(TcpLabelsOf(k)));

    /// <summary>Istio's TCP label set: the request labels without response code and gRPC status, protocol tcp.</summary>
    private static KeyValuePair<string, string>[] TcpLabelsOf(RequestSeriesKey key) =>
    [
        .. LabelsOf(key)
            .Where(l => l.Key is not ("response_code" or "grpc_response_status"))
            .Select(l => l.Key == "request_protocol" ? new KeyValuePair<string, string>(l.Key, "tcp") : l),
    ];

    private void RenderTcp(PrometheusTextWriter writer, MetricsPolicy policy)
    {
        var series = _tcpSeries.OrderBy(s => string.Join('\u0001', s.Value.Labels.Select(l => l.Value)), StringComparer.Ordinal).ToArray();
        WriteCounter(writer, Exposed(series, policy, IstioMetric.TcpOpenedConnections), "istio_tcp_connections_opened_total", "TCP connections opened through this sidecar (reporter=source: outbound, destination: inbound).", s => s.Opened);
        WriteCounter(writer, Exposed(series, policy, IstioMetric.TcpClosedConnections), "istio_tcp_connections_closed_total", "TCP connections closed.", s => s.Closed);
        WriteCounter(writer, Exposed(series, policy, IstioMetric.TcpSentBytes), "istio_tcp_sent_bytes_total", "Bytes sent to the connection's downstream peer.", s => s.SentBytes);
        WriteCounter(writer, Exposed(series, policy, IstioMetric.TcpReceivedBytes), "istio_tcp_received_bytes_total", "Bytes received from the connection's downstream peer.", s => s.ReceivedBytes);
    }

    private static void WriteCounter(PrometheusTextWriter writer, TcpSeries[]? series, string name, string help, Func<TcpSeries, long> value)
    {
        if (series is null)
        {
            return;
        }

        writer.WriteFamily(name, "counter", help);
        foreach (var s in series)
        {
            writer.WriteSample(name, s.Labels, value(s));
        }
    }
}
