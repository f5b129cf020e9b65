using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Runtime.Grpc;

/// <summary>
/// A gRPC call that ended with a non-OK status. Thrown by the client for every failed call, and
/// thrown by server handlers to answer with a specific status, message and typed details.
/// </summary>
public sealed class GrpcException : Exception
{
    /// <summary>Creates an exception carrying a gRPC status.</summary>
    /// <param name="status">The status code; must not be <see cref="GrpcStatusCode.OK"/>.</param>
    /// <param name="message">The status message sent in <c>grpc-message</c>.</param>
    /// <param name="details">
    /// Typed details (e.g. <c>Google.Rpc.BadRequest</c>), sent packed as <c>google.protobuf.Any</c>
    /// in the <c>grpc-status-details-bin</c> trailer.
    /// </param>
    public GrpcException(GrpcStatusCode status, string message, IEnumerable<IMessage>? details = null)
        : this(status, message, details?.Select(Any.Pack).ToArray() ?? [], innerException: null)
    {
    }

    internal GrpcException(GrpcStatusCode status, string message, IReadOnlyList<Any> details, Exception? innerException)
        : base(message, innerException)
    {
        if (status == GrpcStatusCode.OK)
        {
            throw new ArgumentException("A GrpcException cannot carry status OK.", nameof(status));
        }

        Status = status;
        Details = details;
    }

    /// <summary>The gRPC status code.</summary>
    public GrpcStatusCode Status { get; }

    /// <summary>
    /// Typed details carried in <c>grpc-status-details-bin</c> (<c>google.rpc.Status.details</c>),
    /// each packed as <c>google.protobuf.Any</c>. Empty when there are none.
    /// </summary>
    public IReadOnlyList<Any> Details { get; }

    /// <summary>Returns the first detail of type <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    /// <typeparam name="T">The detail message type, e.g. <c>Google.Rpc.BadRequest</c>.</typeparam>
    /// <returns>The unpacked detail, or <see langword="null"/> when no detail has that type.</returns>
    public T? GetDetail<T>()
        where T : class, IMessage<T>, new()
    {
        foreach (var detail in Details)
        {
            if (detail.TryUnpack<T>(out var value))
            {
                return value;
            }
        }

        return null;
    }
}
