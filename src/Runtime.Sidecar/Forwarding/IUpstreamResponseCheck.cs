namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Asked by the forwarder about an upstream response's status and headers before anything is relayed, so a
/// caller can claim the response for a retry (see <see cref="ForwardRequest.RetryCheck"/>).
/// </summary>
internal interface IUpstreamResponseCheck
{
    /// <summary>
    /// Returns true to discard <paramref name="response"/> unrelayed: the forwarder then returns a
    /// <see cref="ForwardOutcome.RetriableResponse"/> result carrying its status, and nothing is written downstream.
    /// </summary>
    bool ShouldRetry(HttpResponseMessage response);
}
