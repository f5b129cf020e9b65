using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>The sentence an access-log line gives for a response flag (why the mesh, not the upstream, answered).</summary>
internal static class MeshReasonText
{
    /// <summary>The sentence for <paramref name="flag"/>; null for <c>-</c> (the upstream answered).</summary>
    public static string? Of(string flag) => flag switch
    {
        MeshReasons.NoRoute => "no route matched the request",
        MeshReasons.NoHealthyUpstream => "no healthy upstream endpoint",
        MeshReasons.Overflow => "a connection-pool limit refused the request",
        MeshReasons.NoConfig => "the sidecar has no configuration yet",
        MeshReasons.BadRequest => "the request could not be understood",
        MeshReasons.UpstreamTimeout => "the upstream did not answer in time",
        MeshReasons.RetryLimitExceeded => "retries were exhausted without a response",
        MeshReasons.UpstreamConnectFailure => "no connection to the upstream could be made",
        MeshReasons.UpstreamConnectionTermination => "the upstream connection ended before a response",
        MeshReasons.FaultInjected => "aborted by fault injection",
        MeshReasons.DelayInjected => "delayed by fault injection",
        MeshReasons.DownstreamDisconnect => "the client went away",
        Security.Authorization.InboundAuthorization.Reason => "denied by an AuthorizationPolicy",
        Security.Jwt.JwtAuthenticator.Reason => "the request's JWT was refused",
        _ => null,
    };
}
