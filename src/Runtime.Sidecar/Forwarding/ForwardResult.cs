namespace Runtime.Sidecar.Forwarding;

/// <summary>What happened to one forwarded request.</summary>
/// <param name="Outcome">How the attempt ended.</param>
/// <param name="StatusCode">
/// The status sent downstream when <see cref="ResponseStarted"/> is true (or on success); otherwise the status
/// the caller should answer with (503 connect failure, 502 reset, 504 timeout, 400 bad request body, 499 client gone).
/// </param>
/// <param name="Error">The exception behind a failure, if any.</param>
/// <param name="Detail">A short human-readable description of a failure, for logs and the error body.</param>
internal sealed record ForwardResult(ForwardOutcome Outcome, int StatusCode, Exception? Error, string? Detail)
{
    /// <summary>nginx's conventional status for "the client closed the request"; never sent on the wire.</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>Whether response headers were already sent downstream (so the caller cannot write an error response).</summary>
    public bool ResponseStarted { get; init; }

    /// <summary>Whether the response was relayed completely.</summary>
    public bool IsSuccess => Outcome == ForwardOutcome.Success;

    /// <summary>The status code a caller should answer with for <paramref name="outcome"/> when nothing was sent yet.</summary>
    public static int StatusFor(ForwardOutcome outcome) => outcome switch
    {
        ForwardOutcome.ConnectFailure => 503,
        ForwardOutcome.UpstreamReset => 502,
        ForwardOutcome.UpstreamTimeout => 504,
        ForwardOutcome.RequestBodyFailed => 400,
        ForwardOutcome.ResponseBodyFailed => 502,
        ForwardOutcome.Canceled => ClientClosedRequest,
        _ => 200,
    };
}
