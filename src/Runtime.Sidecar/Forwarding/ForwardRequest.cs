namespace Runtime.Sidecar.Forwarding;

/// <summary>Where and how to forward one request. Build one per attempt; the delegates and client can be shared.</summary>
internal sealed record ForwardRequest
{
    /// <summary>
    /// The upstream, as <c>scheme://host:port</c> (for example <c>http://127.0.0.1:15006</c>). A path on it, if any,
    /// is prepended verbatim to the forwarded path.
    /// </summary>
    public required Uri Destination { get; init; }

    /// <summary>The path and query to send (after a rewrite); null sends the request target exactly as received.</summary>
    public string? PathAndQuery { get; init; }

    /// <summary>The Host (HTTP/1.1) or :authority (HTTP/2) to send; null keeps the incoming one.</summary>
    public string? Authority { get; init; }

    /// <summary>
    /// The upstream HTTP version. Null uses the incoming request's major version: HTTP/2 and HTTP/3 go upstream as
    /// HTTP/2 (h2c with prior knowledge for <c>http</c>), HTTP/1.x as HTTP/1.1. Upgrades always use HTTP/1.1.
    /// </summary>
    public Version? Version { get; init; }

    /// <summary>The upstream version policy; null means exact for cleartext HTTP/2 (h2c) and "or lower" otherwise.</summary>
    public HttpVersionPolicy? VersionPolicy { get; init; }

    /// <summary>Edits the headers sent upstream (Istio <c>headers.request</c> set/add/remove), after the copy.</summary>
    public Action<HeaderEditor>? RequestHeaders { get; init; }

    /// <summary>Edits the headers sent downstream (Istio <c>headers.response</c>), before the response starts.</summary>
    public Action<HeaderEditor>? ResponseHeaders { get; init; }

    /// <summary>
    /// The whole-request upstream timeout: from sending the request until the response body has been relayed
    /// (Envoy route timeout semantics; it stops applying once a connection is upgraded). Null means none.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Asked about the upstream response before it is relayed; when it answers true the response is discarded and the
    /// result is <see cref="ForwardOutcome.RetriableResponse"/>. Null relays every response.
    /// </summary>
    public IUpstreamResponseCheck? RetryCheck { get; init; }

    /// <summary>The pooled client to use (see <see cref="ForwarderClientFactory"/>); null uses the forwarder's shared one.</summary>
    public HttpMessageInvoker? Client { get; init; }

    /// <summary>
    /// TLS to originate over the upstream connection (mesh mTLS, DestinationRule <c>tls</c>), or null for plaintext:
    /// its options are asked for each new connection with the HTTP version of the request opening it (for ALPN), and
    /// the request only uses connections of its <see cref="UpstreamTls.Partition"/>. The destination keeps its
    /// <c>http</c> scheme: the client's connect callback layers TLS over the TCP stream (see
    /// <see cref="ForwarderClientFactory.TlsOption"/>), so HTTP/2 runs with prior knowledge inside the tunnel.
    /// </summary>
    public UpstreamTls? Tls { get; init; }
}
