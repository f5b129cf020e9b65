namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>
/// The attributes of one completed request (or TCP connection) an access-log filter reads. The sidecar implements it
/// as a struct over its request, so evaluating a filter allocates nothing.
/// </summary>
public interface IAccessLogAttributes
{
    /// <summary><c>response.code</c>: the response code; 0 when the client left before a response, and for TCP.</summary>
    int ResponseCode { get; }

    /// <summary><c>response.flags</c>: Envoy's flag string, <c>-</c> when none.</summary>
    string ResponseFlags { get; }

    /// <summary><c>request.method</c>; empty for TCP.</summary>
    string Method { get; }

    /// <summary><c>request.path</c>, with the query string; empty for TCP.</summary>
    string Path { get; }

    /// <summary><c>request.host</c>: the authority; empty when none.</summary>
    string Host { get; }

    /// <summary><c>request.protocol</c>, for example <c>HTTP/1.1</c>; empty for TCP.</summary>
    string Protocol { get; }

    /// <summary><c>connection.mtls</c>: whether the downstream connection is mutual TLS.</summary>
    bool Mtls { get; }

    /// <summary><c>source.principal</c>: the caller's SPIFFE id; empty when unknown.</summary>
    string SourcePrincipal { get; }

    /// <summary><c>destination.principal</c>: the callee's SPIFFE id; empty when unknown.</summary>
    string DestinationPrincipal { get; }

    /// <summary><c>upstream.cluster</c>: for example <c>outbound|9080||reviews.default.svc.cluster.local</c>; empty when none.</summary>
    string UpstreamCluster { get; }

    /// <summary><c>request.headers['name']</c> for a lower-case <paramref name="name"/>; null when absent.</summary>
    string? RequestHeader(string name);
}
