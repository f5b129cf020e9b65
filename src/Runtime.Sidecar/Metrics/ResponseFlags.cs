using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// Istio's <c>response_flags</c> label from the <c>x-mesh-reason</c> the sidecar set: always one of a fixed set
/// of string instances, so series keys can compare flags by reference.
/// </summary>
internal static class ResponseFlags
{
    /// <summary>No flag: the upstream answered.</summary>
    public const string None = "-";

    /// <summary>The canonical instance for <paramref name="reason"/>; <see cref="None"/> for anything else.</summary>
    public static string Of(string? reason) => reason switch
    {
        MeshReasons.NoRoute => MeshReasons.NoRoute,
        MeshReasons.NoHealthyUpstream => MeshReasons.NoHealthyUpstream,
        MeshReasons.Overflow => MeshReasons.Overflow,
        MeshReasons.NoConfig => MeshReasons.NoConfig,
        MeshReasons.BadRequest => MeshReasons.BadRequest,
        MeshReasons.UpstreamTimeout => MeshReasons.UpstreamTimeout,
        MeshReasons.RetryLimitExceeded => MeshReasons.RetryLimitExceeded,
        MeshReasons.UpstreamConnectFailure => MeshReasons.UpstreamConnectFailure,
        MeshReasons.UpstreamConnectionTermination => MeshReasons.UpstreamConnectionTermination,
        MeshReasons.FaultInjected => MeshReasons.FaultInjected,
        MeshReasons.DelayInjected => MeshReasons.DelayInjected,
        MeshReasons.DownstreamDisconnect => MeshReasons.DownstreamDisconnect,
        MeshReasons.DurationTimeout => MeshReasons.DurationTimeout,
        Security.Authorization.InboundAuthorization.Reason => Security.Authorization.InboundAuthorization.Reason,
        Security.Jwt.JwtAuthenticator.Reason => Security.Jwt.JwtAuthenticator.Reason,
        _ => None,
    };
}
