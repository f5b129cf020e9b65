using Microsoft.AspNetCore.Http;

namespace Runtime.Grpc.Server;

/// <summary>The server side of one gRPC call, as seen by a handler.</summary>
public sealed class GrpcCallContext
{
    internal GrpcCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>Fires when the client cancels (RST_STREAM or disconnect) or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>When the call must be finished, from the client's <c>grpc-timeout</c>; null when none was sent.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The underlying HTTP/2 request, e.g. for request headers or the client certificate.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The method path, e.g. <c>/runtime.mesh.v1.ConfigService/Apply</c>.</summary>
    public string Method { get; }
}
