using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Grpc.Client;
using Runtime.Grpc.Server;

namespace Runtime.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel on 127.0.0.1, port 0, HTTP/2-only cleartext, serving EchoService and reflection.</summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address, EchoBehavior echo, CapturedLogs logs)
    {
        _app = app;
        Address = address;
        Echo = echo;
        Logs = logs;
    }

    public Uri Address { get; }

    public EchoBehavior Echo { get; }

    public CapturedLogs Logs { get; }

    public static async Task<GrpcTestServer> StartAsync(Action<GrpcServerOptions>? configure = null)
    {
        var logs = new CapturedLogs();
        var echo = new EchoBehavior();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport(configure ?? (_ => { }));

        var app = builder.Build();
        app.MapGrpcService(echo.Define());
        app.MapGrpcReflection();
        await app.StartAsync().Within();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new GrpcTestServer(app, new Uri(address), echo, logs);
    }

    public GrpcClient CreateClient() => new(Address);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
    }
}
