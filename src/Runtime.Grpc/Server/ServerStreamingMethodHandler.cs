using Google.Protobuf;

namespace Runtime.Grpc.Server;

/// <summary>A server-streaming method: one request message, any number of response messages.</summary>
internal sealed class ServerStreamingMethodHandler<TRequest, TResponse>(
    string path,
    MessageParser<TRequest> parser,
    Func<TRequest, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override async Task HandleAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(parser).ConfigureAwait(false);
        await handler(request, new ResponseStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}
