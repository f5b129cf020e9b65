using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>gRPC calls through two sidecars are reported with <c>request_protocol="grpc"</c> and their gRPC status.</summary>
public sealed class GrpcRequestMetricsTests
{
    [Fact]
    public async Task GrpcCalls_OkAndNotFound_ReportedWithGrpcStatusOnBothReporters()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await MeshGrpcTests.StartGrpcAppAsync();
        var (client, server) = await MeshGrpcTests.StartPairAsync(mesh, app);
        using var grpc = MeshGrpcTests.ClientThrough(client);
        var options = new GrpcCallOptions { Timeout = TestTimeouts.Default };

        await grpc.UnaryAsync("/runtime.mesh.v1.ConfigService/List", new V1.ListRequest { Kind = "vs" }, V1.ListResponse.Parser, options);
        var missing = await Assert.ThrowsAsync<GrpcException>(() => grpc.UnaryAsync("/runtime.mesh.v1.ConfigService/Get", new V1.GetRequest { Kind = "vs", Name = "nope" }, V1.Resource.Parser, options));
        Assert.Equal(GrpcStatusCode.NotFound, missing.Status);

        // gRPC bodies carry no Content-Length: sizes are the bytes on the wire, each message behind its 5-byte frame header.
        var requestBytes = new Dictionary<string, int>
        {
            ["0"] = 5 + new V1.ListRequest { Kind = "vs" }.CalculateSize(),
            ["5"] = 5 + new V1.GetRequest { Kind = "vs", Name = "nope" }.CalculateSize(),
        };
        foreach (var (sidecar, reporter) in new[] { (client, "source"), (server, "destination") })
        {
            await Eventually.Async($"both calls counted by reporter={reporter}", async () => (await ScrapedMetrics.ScrapeAsync(sidecar)).Sum("istio_requests_total") == 2);
            var metrics = await ScrapedMetrics.ScrapeAsync(sidecar);
            foreach (var status in new[] { "0", "5" })
            {
                var (labels, value) = Assert.Single(metrics.Where("istio_requests_total", ("reporter", reporter), ("grpc_response_status", status)));
                Assert.Equal(1, value);
                Assert.Equal("grpc", labels["request_protocol"]);
                Assert.Equal("200", labels["response_code"]);
                Assert.Equal("config-api.default.svc.cluster.local", labels["destination_service"]);
                Assert.Equal(requestBytes[status], metrics.Sum("istio_request_bytes_sum", ("reporter", reporter), ("grpc_response_status", status)));
            }

            // The OK call's response is at least one framed message.
            Assert.True(metrics.Sum("istio_response_bytes_sum", ("reporter", reporter), ("grpc_response_status", "0")) >= 5);
        }
    }
}
