using Google.Protobuf;

namespace Runtime.Grpc.Server;

/// <summary>Writes response messages of one call, one flushed frame per message.</summary>
internal sealed class ResponseStreamWriter<T>(GrpcServerCall call) : IGrpcStreamWriter<T>
    where T : IMessage
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteMessageAsync(message, flush: true, cancellationToken);
    }
}
