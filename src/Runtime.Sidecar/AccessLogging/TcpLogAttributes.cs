using Runtime.Abstractions.Telemetry.Expressions;
using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// A closed TCP connection as an access-log filter sees it: response code 0, Envoy's flags, the authority it was
/// routed by as <c>request.host</c>, no method, path, protocol or headers; principals only when they are SPIFFE ids.
/// <c>connection.mtls</c> is about the downstream connection, as in Envoy: an inbound one from a proven peer.
/// <c>upstream.cluster</c> is the inbound cluster inbound, empty outbound.
/// </summary>
internal readonly struct TcpLogAttributes(TcpLogFields fields, string inboundCluster) : IAccessLogAttributes
{
    /// <inheritdoc/>
    public int ResponseCode => 0;

    /// <inheritdoc/>
    public string ResponseFlags => fields.Flags;

    /// <inheritdoc/>
    public string Method => "";

    /// <inheritdoc/>
    public string Path => "";

    /// <inheritdoc/>
    public string Host => fields.Authority;

    /// <inheritdoc/>
    public string Protocol => "";

    /// <inheritdoc/>
    public bool Mtls => !fields.Outbound && IsSpiffe(fields.Source);

    /// <inheritdoc/>
    public string SourcePrincipal => IsSpiffe(fields.Source) ? fields.Source! : "";

    /// <inheritdoc/>
    public string DestinationPrincipal => IsSpiffe(fields.Destination) ? fields.Destination! : "";

    /// <inheritdoc/>
    public string UpstreamCluster => fields.Outbound ? "" : inboundCluster;

    /// <inheritdoc/>
    public string? RequestHeader(string name) => null;

    private static bool IsSpiffe(string? identity) => identity is not null && identity.StartsWith("spiffe://", StringComparison.Ordinal);
}
