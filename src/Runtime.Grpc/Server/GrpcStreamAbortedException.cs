namespace Runtime.Grpc.Server;

/// <summary>
/// The HTTP/2 stream of a call broke under the handler (client reset, connection lost). Kestrel may
/// signal <c>RequestAborted</c> only after the read or write fails, so failures are marked at the source.
/// </summary>
internal sealed class GrpcStreamAbortedException(string message, Exception innerException) : IOException(message, innerException);
