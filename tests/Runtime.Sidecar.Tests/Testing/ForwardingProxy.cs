using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// A front Kestrel (127.0.0.1, port 0) whose only handler is the forwarder, as the sidecar will host it: forward,
/// record the <see cref="ForwardResult"/>, and write the mesh error response when nothing was sent.
/// </summary>
internal sealed class ForwardingProxy : IAsyncDisposable
{
    private readonly TestServer _server;
    private readonly Channel<ForwardResult> _results;

    private ForwardingProxy(TestServer server, Channel<ForwardResult> results)
    {
        _server = server;
        _results = results;
    }

    public Uri Address => _server.Address;

    public CapturedLogs Logs => _server.Logs;

    /// <summary>Starts a proxy to <paramref name="upstream"/>; <paramref name="configure"/> adjusts each <see cref="ForwardRequest"/>.</summary>
    public static async Task<ForwardingProxy> StartAsync(
        Uri upstream, HttpProtocols protocols = HttpProtocols.Http1, Func<ForwardRequest, ForwardRequest>? configure = null)
    {
        var results = Channel.CreateUnbounded<ForwardResult>();
        var server = await TestServer.StartAsync(
            async context =>
            {
                var forwarder = context.RequestServices.GetRequiredService<IHttpForwarder>();
                var request = new ForwardRequest { Destination = upstream };
                if (configure is not null)
                {
                    request = configure(request);
                }

                var result = await forwarder.ForwardAsync(context, request, context.RequestAborted);
                results.Writer.TryWrite(result);
                if (!result.IsSuccess)
                {
                    await ForwardErrorWriter.TryWriteAsync(context, result, context.RequestAborted);
                }
            },
            protocols,
            services => services.AddHttpForwarder());
        return new ForwardingProxy(server, results);
    }

    /// <summary>The result of the next forwarded request, in completion order.</summary>
    public async Task<ForwardResult> NextResultAsync()
    {
        try
        {
            return await _results.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException("The forwarder did not finish a request in time.", ex);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
