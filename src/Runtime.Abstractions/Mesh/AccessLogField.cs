namespace Runtime.Abstractions.Mesh;

/// <summary>What one Envoy command operator of an access-log format string stands for.</summary>
public enum AccessLogField
{
    /// <summary>Literal text between operators.</summary>
    Literal,

    /// <summary><c>%START_TIME%</c>.</summary>
    StartTime,

    /// <summary><c>%REQ(:METHOD)%</c>.</summary>
    Method,

    /// <summary><c>%REQ(:PATH)%</c> or <c>%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%</c>.</summary>
    Path,

    /// <summary><c>%PROTOCOL%</c>.</summary>
    Protocol,

    /// <summary><c>%RESPONSE_CODE%</c>.</summary>
    ResponseCode,

    /// <summary><c>%RESPONSE_FLAGS%</c>.</summary>
    ResponseFlags,

    /// <summary><c>%BYTES_RECEIVED%</c>.</summary>
    BytesReceived,

    /// <summary><c>%BYTES_SENT%</c>.</summary>
    BytesSent,

    /// <summary><c>%DURATION%</c>.</summary>
    Duration,

    /// <summary><c>%UPSTREAM_HOST%</c>.</summary>
    UpstreamHost,

    /// <summary><c>%REQ(:AUTHORITY)%</c>.</summary>
    Authority,

    /// <summary><c>%REQ(X-FORWARDED-FOR)%</c>.</summary>
    ForwardedFor,

    /// <summary><c>%REQ(USER-AGENT)%</c>.</summary>
    UserAgent,

    /// <summary><c>%REQ(X-REQUEST-ID)%</c>.</summary>
    RequestId,

    /// <summary><c>%DOWNSTREAM_PEER_URI_SAN%</c>.</summary>
    DownstreamPeer,

    /// <summary><c>%UPSTREAM_PEER_URI_SAN%</c>.</summary>
    UpstreamPeer,
}
