using Google.Protobuf;

namespace Runtime.Grpc.Server;

/// <summary>
/// A bidirectional-streaming method: request messages are handed to the handler as they arrive.
/// Internal for now (server reflection uses it); the public builder exposes unary and server streaming.
/// </summary>
internal sealed class DuplexStreamingMethodHandler<TRequest, TResponse>(
    string path,
    MessageParser<TRequest> parser,
    Func<IAsyncEnumerable<TRequest>, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override Task HandleAsync(GrpcServerCall call) =>
        handler(call.ReadAllAsync(parser, CancellationToken.None), new ResponseStreamWriter<TResponse>(call), call.Context);
}
