namespace Runtime.Grpc.Server;

/// <summary>One mapped method: reads the request messages of a call, runs the handler, writes responses.</summary>
internal abstract class GrpcMethodHandler(string path)
{
    /// <summary>The method path, e.g. <c>/pkg.Service/Method</c>.</summary>
    public string Path { get; } = path;

    /// <summary>Runs the call; the status is written by <see cref="GrpcCallInvoker"/> afterwards.</summary>
    public abstract Task HandleAsync(GrpcServerCall call);
}
