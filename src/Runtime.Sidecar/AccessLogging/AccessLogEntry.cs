using Runtime.Abstractions.Mesh;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>One request as the access log records it: captured on the request path, formatted by the writer.</summary>
internal sealed record AccessLogEntry
{
    /// <summary>When the request arrived (UTC).</summary>
    public required DateTime StartTime { get; init; }

    /// <summary>True for the outbound listener (client side), false for inbound (server side).</summary>
    public required bool Outbound { get; init; }

    /// <summary>The request method.</summary>
    public required string Method { get; init; }

    /// <summary>The path with its query string, as received.</summary>
    public required string Path { get; init; }

    /// <summary>The HTTP protocol, for example <c>HTTP/1.1</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The response code; 0 when the client left before a response.</summary>
    public required int ResponseCode { get; init; }

    /// <summary>The response flag (the <c>x-mesh-reason</c> word), or <c>-</c>.</summary>
    public required string ResponseFlags { get; init; }

    /// <summary>Request body bytes (declared Content-Length, as the metrics count them).</summary>
    public required long BytesReceived { get; init; }

    /// <summary>Response body bytes (declared Content-Length, as the metrics count them).</summary>
    public required long BytesSent { get; init; }

    /// <summary>Whole milliseconds from arrival to completion.</summary>
    public required long DurationMs { get; init; }

    /// <summary>The upstream address (<c>ip:port</c>), or null when none was picked.</summary>
    public string? UpstreamHost { get; init; }

    /// <summary>The <c>x-request-id</c> header.</summary>
    public string? RequestId { get; init; }

    /// <summary>The authority (Host) the request was addressed to.</summary>
    public string? Authority { get; init; }

    /// <summary>The <c>x-forwarded-for</c> header.</summary>
    public string? ForwardedFor { get; init; }

    /// <summary>The <c>user-agent</c> header.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The caller: its SPIFFE principal when known, else <c>workload.namespace</c>, else null.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>The callee: its SPIFFE principal when known, else <c>workload.namespace</c>, else null.</summary>
    public string? DestinationIdentity { get; init; }

    /// <summary>The mesh config's encoding and format for this line (issue 6); null for the writer's own format.</summary>
    public AccessLogOutput? Output { get; init; }
}
