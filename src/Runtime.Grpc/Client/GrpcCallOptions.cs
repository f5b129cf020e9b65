namespace Runtime.Grpc.Client;

/// <summary>Per-call options of <see cref="GrpcClient"/>.</summary>
public sealed record GrpcCallOptions
{
    /// <summary>
    /// Deadline relative to the start of the call, sent as <c>grpc-timeout</c>; when it passes the
    /// call fails with <see cref="GrpcStatusCode.DeadlineExceeded"/>. Null (default) means no deadline.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Extra request headers (metadata), e.g. <c>authorization</c>. Names are lower-cased on the wire;
    /// names starting with <c>grpc-</c> or <c>:</c> and <c>content-type</c>/<c>te</c> are reserved.
    /// Values of <c>-bin</c> headers must already be base64.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
