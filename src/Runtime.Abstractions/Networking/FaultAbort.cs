using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Injected failure.</summary>
public sealed record FaultAbort
{
    /// <summary>HTTP status returned, 200 to 599.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>gRPC status returned, for example <c>UNAVAILABLE</c>.</summary>
    public string? GrpcStatus { get; init; }

    /// <summary>HTTP/2 error returned.</summary>
    public string? Http2Error { get; init; }

    /// <summary>Share of requests aborted.</summary>
    public Percent? Percentage { get; init; }
}
