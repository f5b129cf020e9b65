using System.Globalization;
using System.Text;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// A real control plane and one client sidecar whose routes point, through ServiceEntries with static
/// endpoints, straight at <see cref="RetryUpstream"/> servers (or at closed ports), so each try the sidecar makes
/// is one arrival at an upstream the test controls.
/// </summary>
internal sealed class RetryTestMesh : IAsyncDisposable
{
    private readonly MeshHarness _mesh;
    private readonly List<RetryUpstream> _upstreams = [];

    private RetryTestMesh(MeshHarness mesh, RunningSidecar client)
    {
        _mesh = mesh;
        Client = client;
        Http = TestClients.Http1(client.OutboundAddress);
    }

    public RunningSidecar Client { get; }

    public HttpClient Http { get; }

    public static async Task<RetryTestMesh> StartAsync()
    {
        var mesh = await MeshHarness.StartAsync();
        var client = await mesh.StartSidecarAsync("productpage", null);
        return new RetryTestMesh(mesh, client);
    }

    public async Task<RetryUpstream> StartUpstreamAsync(string name, int? alwaysFail = null)
    {
        var upstream = await RetryUpstream.StartAsync(name, alwaysFail);
        _upstreams.Add(upstream);
        return upstream;
    }

    /// <summary>
    /// Applies a ServiceEntry for <paramref name="host"/> with the given loopback ports as endpoints, then
    /// <paramref name="virtualService"/> (its text must contain <paramref name="marker"/>), and waits until the sidecar has both.
    /// </summary>
    public async Task ApplyAsync(string host, int[] ports, string virtualService, string marker)
    {
        var endpoints = new StringBuilder();
        foreach (var port in ports)
        {
            endpoints.Append(CultureInfo.InvariantCulture, $"  - address: 127.0.0.1\n    ports: {{ http: {port} }}\n");
        }

        var name = host.Replace('.', '-');
        var entry = $"""
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata:
              name: {name}
            spec:
              hosts: [{host}]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports:
              - number: 80
                name: http
                protocol: HTTP
              endpoints:

            """ + endpoints;
        await _mesh.ApplyAsync(entry + "---\n" + virtualService);
        await MeshHarness.WaitForConfigAsync(Client, marker);
        await MeshHarness.WaitForConfigAsync(Client, name);
    }

    /// <summary>Sends a request for <paramref name="host"/><paramref name="path"/> to the client sidecar's outbound listener.</summary>
    public async Task<HttpResponseMessage> SendAsync(string host, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, path) { Content = content };
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request).WaitAsync(TestTimeouts.Default);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _mesh.DisposeAsync();
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }
}
