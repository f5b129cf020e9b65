namespace Runtime.Sidecar.Forwarding;

/// <summary>How one forwarding attempt ended.</summary>
internal enum ForwardOutcome
{
    /// <summary>The upstream response (whatever its status) was relayed completely.</summary>
    Success,

    /// <summary>No connection to the upstream could be made (refused, unreachable, connect timeout, TLS handshake).</summary>
    ConnectFailure,

    /// <summary>The upstream connection or stream failed after it was established (before or during the response).</summary>
    UpstreamReset,

    /// <summary><see cref="ForwardRequest.Timeout"/> elapsed before the upstream response completed.</summary>
    UpstreamTimeout,

    /// <summary>Reading the downstream request body failed: the client aborted the upload or sent a malformed body.</summary>
    RequestBodyFailed,

    /// <summary>Writing the response to the downstream client failed while the client still appeared connected.</summary>
    ResponseBodyFailed,

    /// <summary>The downstream client went away, or the caller's cancellation token fired.</summary>
    Canceled,

    /// <summary>
    /// The upstream answered, and <see cref="ForwardRequest.RetryCheck"/> claimed the response for a retry: nothing was
    /// written downstream; the result's status is the upstream's.
    /// </summary>
    RetriableResponse,
}
