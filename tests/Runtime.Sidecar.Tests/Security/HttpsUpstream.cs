using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// A real HTTPS upstream outside the mesh on 127.0.0.1 (port 0): serves <c>certificate</c>, accepts an optional
/// client certificate chaining to the test CA, and by default answers "tls client=&lt;subject or none&gt;".
/// </summary>
internal sealed class HttpsUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<HttpsUpstream> StartAsync(X509Certificate2 certificate, TlsTestCa ca, RequestDelegate? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The sidecar keeps the http scheme when it layers TLS itself: accept :scheme http over TLS on HTTP/2.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (client, _, _) => ca.Chains(client);
            }));
        });
        var app = builder.Build();
        app.Run(handler ?? (context => context.Response.WriteAsync($"tls client={context.Connection.ClientCertificate?.Subject ?? "none"}")));
        await app.StartAsync().Within();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        return new HttpsUpstream(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().Within();
        await _app.DisposeAsync();
    }
}
