using System.Buffers;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;
using Runtime.Sidecar.Tests.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Mesh;

[Collection(ProcessWideMeasurements.Name)]
public sealed class MeshLargeBodyTests(ITestOutputHelper output)
{
    private const long OneGigabyte = 1L << 30;
    private const long MemoryBound = 96L << 20;

    [Fact]
    public async Task Upload_OneGigabyteThroughTwoSidecars_StreamedExactlyInBoundedMemory()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await TestServer.StartAsync(CountingUpstream.CountBodyAsync, unlimitedBodies: true);
        await mesh.StartSidecarAsync("uploads", app);
        var client = await mesh.StartSidecarAsync("client", null);
        await MeshHarness.WaitForEndpointsAsync(client, "uploads.default.svc.cluster.local", 1);
        using var http = new HttpClient { Timeout = TestTimeouts.Bulk };

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.OutboundAddress, "/upload")) { Content = new GeneratedContent(OneGigabyte) };
        request.Headers.Host = "uploads";
        using var response = await http.SendAsync(request).WaitAsync(TestTimeouts.Bulk);
        var counted = await response.Content.ReadAsStringAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        output.WriteLine($"allocated {allocated / 1024 / 1024} MB for 1 GB through client, two sidecars and app");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OneGigabyte.ToString(CultureInfo.InvariantCulture), counted);

        // Client, both sidecars and the app share this process: a hop that buffered the body would allocate >= 1 GB.
        Assert.True(allocated < MemoryBound, $"allocated {allocated / 1024 / 1024} MB while streaming 1 GB through two sidecars");
    }
}
