using System.Text;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Metrics;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// Telemetry <c>metrics</c> overrides for Istio's TCP metrics through real sidecars: a TCP metric disabled for one
/// side is not exposed by that side, and the other side still reports it exactly.
/// </summary>
public sealed class TcpMetricsOverridesMeshTests
{
    private const string EchoFqdn = "tcp-echo.default.svc.cluster.local";

    [Fact]
    public async Task TcpSentBytesDisabledOnClient_NoSourceSeries_DestinationExact()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var echo = TcpEchoApp.Start("v1");
        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-metrics, namespace: istio-system}
            spec:
              metrics:
                - providers: [{name: prometheus}]
                  overrides:
                    - match: {metric: TCP_SENT_BYTES, mode: CLIENT}
                      disabled: true
            """);
        var server = await harness.StartSidecarAsync("tcp-echo", null, appPort: echo.Port, labels: ["app=tcp-echo", "version=v1"]);
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 1);
        await MeshHarness.WaitForConfigAsync(client, "mesh-metrics");
        await MeshHarness.WaitForConfigAsync(server, "mesh-metrics");

        using (var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}"))
        {
            Assert.Equal(200, tunnel.Status);
            Assert.Equal("v1\nhello", Encoding.ASCII.GetString(await tunnel.ExchangeAsync(Encoding.ASCII.GetBytes("hello"))));
        }

        var source = await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("destination_service", EchoFqdn));
        var destination = await TcpMtlsMeshTests.ClosedAsync(server, 1, ("reporter", "destination"), ("destination_service", EchoFqdn));

        // The client side: no series of the disabled metric (its family stays declared: the inbound side still reports
        // it), the others exact.
        Assert.Empty(source.Where("istio_tcp_sent_bytes_total"));
        Assert.Equal(1, source.Sum("istio_tcp_connections_closed_total", ("reporter", "source")));
        Assert.Equal(1, source.Sum("istio_tcp_connections_opened_total", ("reporter", "source")));
        Assert.Equal(5, source.Sum("istio_tcp_received_bytes_total", ("reporter", "source")));

        // The server side is not the client: it reports its sent bytes exactly.
        Assert.Equal(8, destination.Sum("istio_tcp_sent_bytes_total", ("reporter", "destination"), ("destination_service", EchoFqdn)));
        Assert.Equal(5, destination.Sum("istio_tcp_received_bytes_total", ("reporter", "destination")));
        await Promtool.AssertAcceptedAsync(source.Text);
    }
}
