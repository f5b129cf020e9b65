namespace Runtime.Abstractions.Telemetry;

/// <summary>Standard Istio metrics.</summary>
public enum IstioMetric
{
    /// <summary><c>ALL_METRICS</c>: Every metric.</summary>
    AllMetrics,

    /// <summary><c>REQUEST_COUNT</c>: istio_requests_total.</summary>
    RequestCount,

    /// <summary><c>REQUEST_DURATION</c>: istio_request_duration_milliseconds.</summary>
    RequestDuration,

    /// <summary><c>REQUEST_SIZE</c>: istio_request_bytes.</summary>
    RequestSize,

    /// <summary><c>RESPONSE_SIZE</c>: istio_response_bytes.</summary>
    ResponseSize,

    /// <summary><c>TCP_OPENED_CONNECTIONS</c>: istio_tcp_connections_opened_total.</summary>
    TcpOpenedConnections,

    /// <summary><c>TCP_CLOSED_CONNECTIONS</c>: istio_tcp_connections_closed_total.</summary>
    TcpClosedConnections,

    /// <summary><c>TCP_SENT_BYTES</c>: istio_tcp_sent_bytes_total.</summary>
    TcpSentBytes,

    /// <summary><c>TCP_RECEIVED_BYTES</c>: istio_tcp_received_bytes_total.</summary>
    TcpReceivedBytes,

    /// <summary><c>GRPC_REQUEST_MESSAGES</c>: istio_request_messages_total.</summary>
    GrpcRequestMessages,

    /// <summary><c>GRPC_RESPONSE_MESSAGES</c>: istio_response_messages_total.</summary>
    GrpcResponseMessages,
}
