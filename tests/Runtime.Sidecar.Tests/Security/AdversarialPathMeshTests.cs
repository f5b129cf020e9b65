using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Runtime.Abstractions.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Adversarial request targets through real sidecars: a VirtualService sends the <c>/admin</c> prefix of host
/// <c>web</c> to the <c>adminapp</c> service and everything else to <c>web</c>. Every spelling of <c>/admin</c>
/// must route exactly as <c>/admin</c> (no route bypass), and the app must receive the canonical path.
/// </summary>
public sealed partial class AdversarialPathMeshTests
{
    private const string AdminRoute = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts:
          - web
          http:
          - name: admin
            match:
            - uri:
                prefix: /admin
            route:
            - destination:
                host: adminapp
          - name: rest
            route:
            - destination:
                host: web
        """;

    // Raw target sent to the client's outbound listener with "Host: web" -> (app that must serve it, path it must see).
    private static readonly (string Target, string App, string Path)[] Routed =
    [
        ("/admin", "adminapp", "/admin"),
        ("/admin/users", "adminapp", "/admin/users"),
        ("/public", "web", "/public"),
        ("/Admin", "web", "/Admin"),
        ("/public/..%2Fadmin", "adminapp", "/admin"),
        ("/public/..%2fadmin", "adminapp", "/admin"),
        ("/public/..%5Cadmin", "adminapp", "/admin"),
        ("/public/..\\admin", "adminapp", "/admin"),
        ("/%61dmin", "adminapp", "/admin"),
        ("/%61%64%6d%69%6e/users", "adminapp", "/admin/users"),
        ("//admin", "adminapp", "/admin"),
        ("///admin//users", "adminapp", "/admin/users"),
        ("/admin;x", "adminapp", "/admin;x"),
        ("/./admin", "adminapp", "/admin"),
        ("/public/%2e%2e/admin", "adminapp", "/admin"),
        ("/public/%2E%2E/admin", "adminapp", "/admin"),
        ("/public/.%2e/admin", "adminapp", "/admin"),
        ("/public/../admin", "adminapp", "/admin"),
        ("/../admin", "adminapp", "/admin"),
        ("/public%2F..%2Fadmin", "adminapp", "/admin"),
        ("/%2Fadmin", "adminapp", "/admin"),
        ("/%5Cadmin", "adminapp", "/admin"),
        ("/admin/../public", "web", "/public"),
        ("/admin%2F..%2Fpublic", "web", "/public"),
        ("/admin?x=/../public", "adminapp", "/admin?x=/../public"),
        ("/public?next=/admin", "web", "/public?next=/admin"),
        ("/%252e%252e/admin", "web", "/%252e%252e/admin"),
        ("http://web/public/..%2Fadmin", "adminapp", "/admin"),
    ];

    // Raw targets the outbound sidecar must refuse with 400 DPE. ("/admin%00" is refused by Kestrel itself before
    // the sidecar sees it: checked separately below; the sidecar's own %00 check is defence in depth.)
    private static readonly string[] RefusedTargets =
    [
        "/public/..;/admin",
        "/public/.;x/../admin",
        "/public/%2e%2e;/admin",
        "/public/..%3B/admin",
        "/%zz/admin",
        "/admin%4",
        "/admin%0d%0a",
        "/admin%7F",
    ];

    [Fact]
    public async Task Outbound_AdversarialTargets_RouteExactlyAsTheirCanonicalPath()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var web = await StartRawTargetAppAsync("web");
        await using var admin = await StartRawTargetAppAsync("adminapp");
        await mesh.StartSidecarAsync("web", web);
        await mesh.StartSidecarAsync("adminapp", admin);
        var client = await mesh.StartSidecarAsync("client", null);
        await MeshHarness.WaitForEndpointsAsync(client, "web.default.svc.cluster.local", 1);
        await MeshHarness.WaitForEndpointsAsync(client, "adminapp.default.svc.cluster.local", 1);
        await mesh.ApplyAsync(AdminRoute);
        await MeshHarness.WaitForConfigAsync(client, "/admin");

        var wrong = new List<string>();
        foreach (var (target, app, path) in Routed)
        {
            var response = await SendAsync(client.OutboundAddress, "GET", target, "web");
            var expected = $"{app} {path}";
            if (response.Status != 200 || response.Body != expected)
            {
                wrong.Add($"{target}: expected 200 '{expected}', got {response.Status} '{response.Body}'");
            }
        }

        foreach (var target in RefusedTargets)
        {
            var response = await SendAsync(client.OutboundAddress, "GET", target, "web");
            if (response.Status != 400 || !response.Values("x-mesh-reason").Contains("DPE"))
            {
                wrong.Add($"{target}: expected 400 DPE, got {response.Status} '{response.Body}'");
            }
        }

        // Host case variants, a trailing dot and an explicit default port match the same VirtualService.
        foreach (var host in new[] { "WEB", "Web", "web.", "WEB.", "web:80", "Web.:80", "web.default.svc.cluster.local." })
        {
            var response = await SendAsync(client.OutboundAddress, "GET", "/public/..%2F%61dmin", host);
            if (response.Status != 200 || response.Body != "adminapp /admin")
            {
                wrong.Add($"Host {host}: expected 200 'adminapp /admin', got {response.Status} '{response.Body}'");
            }
        }

        var nul = await SendAsync(client.OutboundAddress, "GET", "/admin%00", "web");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(400, nul.Status);
    }

    [Fact]
    public async Task Inbound_BadTargetsAndMethods_400BeforeTheAppAndCanonicalPathForwarded()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var admin = await StartRawTargetAppAsync("adminapp", seen);
        var sidecar = await mesh.StartSidecarAsync("adminapp", admin);
        // Inbound answers only once a configuration is in (AuthorizationPolicy fails closed before that).
        await sidecar.Ready.WaitAsync(TestTimeouts.Default);

        var canonical = await SendAsync(sidecar.InboundAddress, "GET", "/public/..%2F%61dmin//users?x=%2F..", "adminapp");
        var nul = await SendAsync(sidecar.InboundAddress, "GET", "/admin%00", "adminapp");
        var tomcat = await SendAsync(sidecar.InboundAddress, "GET", "/public/..;/admin", "adminapp");
        var lower = await SendAsync(sidecar.InboundAddress, "get", "/admin", "adminapp");
        var mixed = await SendAsync(sidecar.InboundAddress, "Post", "/admin", "adminapp");
        var extension = await SendAsync(sidecar.InboundAddress, "PROPFIND", "/admin", "adminapp");

        Assert.Equal(200, canonical.Status);
        Assert.Equal("adminapp /admin/users?x=%2F..", canonical.Body);
        Assert.Equal(400, nul.Status);
        Assert.All([tomcat, lower, mixed], refused =>
        {
            Assert.Equal(400, refused.Status);
            Assert.Equal("DPE", refused.Values("x-mesh-reason").Single());
            Assert.DoesNotContain("adminapp", refused.Body, StringComparison.Ordinal);
        });
        Assert.Contains("dot segment", tomcat.Body, StringComparison.Ordinal);
        Assert.Contains("'get'", lower.Body, StringComparison.Ordinal);
        Assert.Equal(200, extension.Status);
        Assert.Equal(["GET /admin/users?x=%2F..", "PROPFIND /admin"], seen);
    }

    [Fact]
    public async Task Inbound_PathNormalizationNone_ForwardsTheRawPathButStillRefusesNul()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var admin = await StartRawTargetAppAsync("adminapp");
        var sidecar = await SidecarHost.StartAsync(
            new SidecarOptions
            {
                Service = "adminapp",
                AppPort = admin.Address.Port,
                InboundPort = 0,
                OutboundPort = 0,
                AdminPort = 0,
                DataDir = Path.Combine(Path.GetTempPath(), "path-none-" + Guid.NewGuid().ToString("N")[..8]),
                PathNormalization = Runtime.Abstractions.Http.CanonicalPathMode.None,
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
                ControlPlanes = { mesh.ControlPlane },
            },
            CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await using var owned = sidecar;
        await sidecar.Ready.WaitAsync(TestTimeouts.Default);

        var raw = await SendAsync(sidecar.InboundAddress, "GET", "/public/..%2F%61dmin", "adminapp");
        var nul = await SendAsync(sidecar.InboundAddress, "GET", "/admin%00", "adminapp");

        Assert.Equal("adminapp /public/..%2F%61dmin", raw.Body);
        Assert.Equal(400, nul.Status);
    }

    // A hand-written request (HttpClient would normalize the target or refuse the method); "Connection: close",
    // so the response is everything up to the end of the stream.
    private static async Task<RawHttpResponse> SendAsync(Uri address, string method, string target, string host, string extraHeaders = "")
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(address.Host, address.Port).Within();
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}Connection: close\r\n\r\n")).Within();
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).Within();
        var response = RawHttpResponse.Parse(System.Text.Encoding.UTF8.GetString(received.ToArray()));
        return response.Values("transfer-encoding").Contains("chunked") ? response with { Body = Unchunk(response.Body) } : response;
    }

    private static string Unchunk(string chunked)
    {
        var body = new System.Text.StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = int.Parse(chunked.AsSpan(position, lineEnd - position), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }

    // Answers "<name> <request target exactly as received>".
    private static Task<TestServer> StartRawTargetAppAsync(string name, System.Collections.Concurrent.ConcurrentQueue<string>? seen = null) =>
        TestServer.StartAsync(async context =>
        {
            var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            seen?.Enqueue($"{context.Request.Method} {target}");
            var body = $"{name} {target}";
            context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
            await context.Response.WriteAsync(body);
        });
}
