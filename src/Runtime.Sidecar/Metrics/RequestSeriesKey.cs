using System.Runtime.CompilerServices;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// What tells one request series from another. The peers are interned <see cref="PeerLabels"/> and the flags one
/// of <see cref="ResponseFlags"/>' constants, so the key is compared and hashed by reference: no label string is
/// built or compared per request.
/// </summary>
internal readonly struct RequestSeriesKey(
    bool outbound, PeerLabels source, PeerLabels destination, int responseCode, string responseFlags, bool grpc, int grpcStatus, SecurityPolicy security)
    : IEquatable<RequestSeriesKey>
{
    public bool Outbound { get; } = outbound;

    public PeerLabels Source { get; } = source;

    public PeerLabels Destination { get; } = destination;

    public int ResponseCode { get; } = responseCode;

    public string ResponseFlags { get; } = responseFlags;

    public bool Grpc { get; } = grpc;

    /// <summary>The gRPC status, or -1 when the response carried none.</summary>
    public int GrpcStatus { get; } = grpcStatus;

    public SecurityPolicy Security { get; } = security;

    public bool Equals(RequestSeriesKey other) =>
        Outbound == other.Outbound && ReferenceEquals(Source, other.Source) && ReferenceEquals(Destination, other.Destination)
        && ResponseCode == other.ResponseCode && ReferenceEquals(ResponseFlags, other.ResponseFlags) && Grpc == other.Grpc
        && GrpcStatus == other.GrpcStatus && Security == other.Security;

    public override bool Equals(object? obj) => obj is RequestSeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        RuntimeHelpers.GetHashCode(Source), RuntimeHelpers.GetHashCode(Destination), ResponseCode,
        RuntimeHelpers.GetHashCode(ResponseFlags), GrpcStatus, (Outbound ? 1 : 0) | (Grpc ? 2 : 0) | ((int)Security << 2));
}
