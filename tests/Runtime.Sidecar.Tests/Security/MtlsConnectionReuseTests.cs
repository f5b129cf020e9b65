using System.Net;
using System.Net.NetworkInformation;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Sequential calls through the client sidecar over auto mTLS pay one handshake, not one per request: the demo's
/// traffic (an app's HttpClient sending absolute-form requests through its sidecar as HTTP proxy, one at a time
/// with pauses) must ride one pooled TLS connection to the server sidecar.
/// </summary>
public sealed class MtlsConnectionReuseTests
{
    [Fact]
    public async Task Outbound_SequentialProxyRequestsOverMtls_ShareOneTlsConnection()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        var inbound = reviews.InboundAddress.Port;

        // Tests share the machine: an earlier test's server may have had this port number, leaving closed
        // connections in TIME_WAIT that are not ours. Whatever exists before the first request is left out.
        var earlier = ConnectionsAt(inbound).Select(Key).ToHashSet();

        // As the demo's apps call: HttpClient with the sidecar as HTTP proxy (absolute-form request targets).
        using var client = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(productpage.OutboundAddress), UseProxy = true }) { Timeout = TestTimeouts.Default };
        for (var i = 0; i < 20; i++)
        {
            var body = await client.GetStringAsync(new Uri($"http://reviews/reviews/{i}"));
            Assert.Contains($";URI={TlsTestCa.SpiffeId("productpage")}", body, StringComparison.Ordinal);
            await Task.Delay(5);
        }

        // Every TCP connection with the server sidecar's inbound port at either end, closed ones in TIME_WAIT
        // included (whichever side closed first): one connection (its two ends), still open.
        var atServer = ConnectionsAt(inbound).Where(c => !earlier.Contains(Key(c))).ToList();
        var seen = string.Join(", ", atServer.Select(c => $"{c.LocalEndPoint}->{c.RemoteEndPoint} {c.State}"));
        Assert.True(atServer.Count(c => c.RemoteEndPoint.Port == inbound) == 1, $"the client sidecar opened more than one connection: {seen}");
        Assert.True(atServer.All(c => c.State == TcpState.Established), $"a connection to the server sidecar was closed: {seen}");
    }

    private static List<TcpConnectionInformation> ConnectionsAt(int port) =>
    [
        .. IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
            .Where(c => (c.RemoteEndPoint.Port == port || c.LocalEndPoint.Port == port) && IsLoopback(c.RemoteEndPoint.Address) && IsLoopback(c.LocalEndPoint.Address)),
    ];

    private static string Key(TcpConnectionInformation c) => $"{c.LocalEndPoint}->{c.RemoteEndPoint}";

    private static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
