namespace Runtime.Grpc.Protocol;

/// <summary>Maps HTTP-level failures to gRPC status codes, per the gRPC HTTP-to-status tables.</summary>
internal static class GrpcStatusMapping
{
    /// <summary>For a response without <c>grpc-status</c> and a non-200 HTTP status.</summary>
    public static GrpcStatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    /// <summary>For a stream reset with an HTTP/2 error code (RFC 9113 section 7).</summary>
    public static GrpcStatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => GrpcStatusCode.Unavailable,        // REFUSED_STREAM: safe to retry
        0x8 => GrpcStatusCode.Cancelled,          // CANCEL
        0xB => GrpcStatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
        0xC => GrpcStatusCode.PermissionDenied,   // INADEQUATE_SECURITY
        _ => GrpcStatusCode.Internal,             // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ...
    };
}
