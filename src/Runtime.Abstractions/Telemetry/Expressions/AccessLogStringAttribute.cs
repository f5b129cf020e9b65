namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>The string attributes a filter may read (see <see cref="IAccessLogAttributes"/>).</summary>
internal enum AccessLogStringAttribute
{
    /// <summary><c>response.flags</c>.</summary>
    ResponseFlags,

    /// <summary><c>request.method</c>.</summary>
    Method,

    /// <summary><c>request.path</c>.</summary>
    Path,

    /// <summary><c>request.host</c>.</summary>
    Host,

    /// <summary><c>request.protocol</c>.</summary>
    Protocol,

    /// <summary><c>source.principal</c>.</summary>
    SourcePrincipal,

    /// <summary><c>destination.principal</c>.</summary>
    DestinationPrincipal,

    /// <summary><c>upstream.cluster</c>.</summary>
    UpstreamCluster,
}
