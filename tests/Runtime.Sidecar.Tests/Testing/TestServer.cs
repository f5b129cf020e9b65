using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>A real Kestrel on 127.0.0.1, port 0, running one request delegate; its logs are captured.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address, CapturedLogs logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
    }

    /// <summary>The listening address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server. <paramref name="protocols"/> Http2 means cleartext HTTP/2 only (h2c with prior knowledge).
    /// The request body limit is left at Kestrel's default unless <paramref name="unlimitedBodies"/>.
    /// </summary>
    public static async Task<TestServer> StartAsync(
        RequestDelegate handler,
        HttpProtocols protocols = HttpProtocols.Http1,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? pipeline = null,
        bool unlimitedBodies = false)
    {
        var logs = new CapturedLogs();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (unlimitedBodies)
            {
                kestrel.Limits.MaxRequestBodySize = null;
            }

            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols);
        });
        services?.Invoke(builder.Services);

        var app = builder.Build();
        pipeline?.Invoke(app);
        app.Run(handler);
        await app.StartAsync().Within();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestServer(app, new Uri(address), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
    }
}
