using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// A mesh on loopback whose sidecars carry certificates from an in-memory test CA: a real control plane, apps
/// that echo the <c>x-forwarded-client-cert</c> they receive, and real TLS between the parties.
/// </summary>
internal sealed class MtlsMesh : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _root = Directory.CreateTempSubdirectory("mtls-e2e-").FullName;

    private MtlsMesh(MeshHarness harness) => Harness = harness;

    public MeshHarness Harness { get; }

    public TlsTestCa Ca { get; } = new();

    /// <summary>A mesh with its own control plane; <paramref name="endpointTtl"/> (optional) also sets heartbeats to a quarter of it.</summary>
    public static async Task<MtlsMesh> StartAsync(TimeSpan? endpointTtl = null) => new(await MeshHarness.StartAsync(endpointTtl));

    /// <summary>A mesh whose control plane (and so CA) the caller runs, e.g. to give it a short certificate TTL or stop it.</summary>
    public static MtlsMesh Over(Uri controlPlane) => new(MeshHarness.Detached(controlPlane));

    /// <summary>
    /// An app answering "<paramref name="name"/> xfcc=&lt;the XFCC it received, or nothing&gt;", over HTTP/1.1 or
    /// (<paramref name="version"/> 2.0) h2c, as the inbound sidecar forwards with the caller's protocol.
    /// </summary>
    public async Task<TestServer> StartAppAsync(string name, Version? version = null)
    {
        var app = await TestServer.StartAsync(context =>
            context.Response.WriteAsync($"{name} xfcc={context.Request.Headers["x-forwarded-client-cert"]}"),
            version?.Major == 2 ? Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2 : Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
        _owned.Add(app);
        return app;
    }

    /// <summary>Adjusts the options of each sidecar started next (e.g. a TCP app's port).</summary>
    public Action<SidecarOptions>? ConfigureSidecar { get; set; }

    /// <summary>A sidecar for <paramref name="service"/> running as <paramref name="serviceAccount"/>, with <paramref name="certificates"/> (null: none).</summary>
    public Task<RunningSidecar> StartSidecarAsync(string service, TestServer? app, string serviceAccount, TlsTestCa.Source? certificates, params string[] labels) =>
        StartSidecarAsync(service, app, serviceAccount, certificates, token: null, labels);

    /// <summary>
    /// A sidecar for <paramref name="service"/> running as <paramref name="serviceAccount"/> that gets its certificate
    /// from the control plane's CA with the bootstrap <paramref name="token"/> and renews it there.
    /// </summary>
    public Task<RunningSidecar> StartSidecarWithTokenAsync(string service, TestServer? app, string serviceAccount, string token, params string[] labels) =>
        StartSidecarAsync(service, app, serviceAccount, certificates: null, token, labels);

    private async Task<RunningSidecar> StartSidecarAsync(string service, TestServer? app, string serviceAccount, TlsTestCa.Source? certificates, string? token, string[] labels)
    {
        var options = new SidecarOptions
        {
            Service = service,
            ServiceAccount = serviceAccount,
            AppPort = app?.Address.Port,
            InboundPort = 0,
            OutboundPort = 0,
            AdminPort = 0,
            DataDir = Path.Combine(_root, service + "-" + Guid.NewGuid().ToString("N")[..8]),
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            CertificateSource = certificates,
            Token = token,
        };
        options.ControlPlanes.Add(Harness.ControlPlane);
        ConfigureSidecar?.Invoke(options);
        foreach (var label in labels)
        {
            var parts = label.Split('=');
            options.Labels[parts[0]] = parts[1];
        }

        var sidecar = await SidecarHost.StartAsync(options, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        _owned.Add(sidecar);
        await sidecar.Ready.WaitAsync(TestTimeouts.Default);
        return sidecar;
    }

    /// <summary>A client that presents <paramref name="certificate"/> (or none) over TLS and trusts servers chaining to the mesh root.</summary>
    public HttpClient TlsClient(X509Certificate2? certificate, Version version) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions =
            {
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
                RemoteCertificateValidationCallback = (_, server, _, _) => server is X509Certificate2 leaf && Ca.Chains(leaf),
            },
        })
        {
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        };

    /// <summary>A plaintext client (HTTP/1.1, or h2c with prior knowledge).</summary>
    public static HttpClient PlainClient(Version version) =>
        new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TestTimeouts.Default,
        };

    /// <summary>The sidecar's inbound port as an https address.</summary>
    public static Uri Https(RunningSidecar sidecar, string path) => new($"https://127.0.0.1:{sidecar.InboundAddress.Port}{path}");

    /// <summary>Sends GET <paramref name="path"/> to <paramref name="client"/>'s outbound listener with <c>Host: <paramref name="host"/></c>.</summary>
    public static async Task<HttpResponseMessage> CallAsync(RunningSidecar client, string host, string path, Version? version = null)
    {
        using var http = PlainClient(version ?? HttpVersion.Version11);
        // A request built here does not take the client's default version: pin it.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, path))
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await Harness.DisposeAsync();
        Ca.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
