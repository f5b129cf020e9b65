using Google.Protobuf;

namespace Runtime.Grpc.Server;

/// <summary>A unary method: one request message, one response message.</summary>
internal sealed class UnaryMethodHandler<TRequest, TResponse>(
    string path,
    MessageParser<TRequest> parser,
    Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
    : GrpcMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override async Task HandleAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(parser).ConfigureAwait(false);
        var response = await handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {Path} returned a null response.");

        // Not flushed: the response message and the trailers leave together when the call completes.
        await call.WriteMessageAsync(response, flush: false, CancellationToken.None).ConfigureAwait(false);
    }
}
