namespace Runtime.Sidecar.Resilience;

/// <summary>The parsed <c>retryOn</c> words (Envoy's <c>x-envoy-retry-on</c> and <c>x-envoy-retry-grpc-on</c> vocabulary).</summary>
[Flags]
internal enum RetryConditions
{
    /// <summary>Nothing is retried.</summary>
    None = 0,

    /// <summary><c>5xx</c>: any 5xx status, and no response at all (connect failure, reset, refused stream, per-try timeout).</summary>
    FiveXx = 1 << 0,

    /// <summary><c>gateway-error</c>: 502, 503 or 504, and no response at all (which would become one of them).</summary>
    GatewayError = 1 << 1,

    /// <summary><c>reset</c>: no response at all: disconnect, reset, connect failure or per-try timeout.</summary>
    Reset = 1 << 2,

    /// <summary><c>connect-failure</c>: the connection could not be made (refused, unreachable, connect timeout).</summary>
    ConnectFailure = 1 << 3,

    /// <summary><c>refused-stream</c>: the upstream refused the HTTP/2 stream (REFUSED_STREAM).</summary>
    RefusedStream = 1 << 4,

    /// <summary><c>retriable-4xx</c>: 409 Conflict.</summary>
    Retriable4xx = 1 << 5,

    /// <summary><c>retriable-status-codes</c>: a status in the policy's list (numeric words of <c>retryOn</c>).</summary>
    RetriableStatusCodes = 1 << 6,

    /// <summary><c>retriable-headers</c>: the response carries a header the request named in <c>x-envoy-retriable-header-names</c>.</summary>
    RetriableHeaders = 1 << 7,

    /// <summary><c>cancelled</c>: gRPC status 1 in the response headers.</summary>
    GrpcCancelled = 1 << 8,

    /// <summary><c>deadline-exceeded</c>: gRPC status 4 in the response headers.</summary>
    GrpcDeadlineExceeded = 1 << 9,

    /// <summary><c>resource-exhausted</c>: gRPC status 8 in the response headers.</summary>
    GrpcResourceExhausted = 1 << 10,

    /// <summary><c>internal</c>: gRPC status 13 in the response headers.</summary>
    GrpcInternal = 1 << 11,

    /// <summary><c>unavailable</c>: gRPC status 14 in the response headers.</summary>
    GrpcUnavailable = 1 << 12,

    /// <summary>Every condition decided on a response's status line and headers.</summary>
    AnyResponse = FiveXx | GatewayError | Retriable4xx | RetriableStatusCodes | RetriableHeaders
        | GrpcCancelled | GrpcDeadlineExceeded | GrpcResourceExhausted | GrpcInternal | GrpcUnavailable,

    /// <summary>Every condition that retries a per-try timeout (Envoy counts it as a reset).</summary>
    AnyTimeout = FiveXx | GatewayError | Reset,
}
