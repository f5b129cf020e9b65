using System.Buffers;
using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

[Collection(ProcessWideMeasurements.Name)]
public sealed class HttpForwarderLargeBodyTests(ITestOutputHelper output)
{
    private const long OneGigabyte = 1L << 30;
    private const long MemoryBound = 64L << 20;

    [Fact]
    public async Task ForwardAsync_OneGigabyteUpload_StreamedExactlyInBoundedMemory()
    {
        // The upstream lifts its own limit; the front does not: the forwarder must lift Kestrel's 30 MB default itself.
        await using var upstream = await TestServer.StartAsync(CountingUpstream.CountBodyAsync, unlimitedBodies: true);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = TestClients.Http1(proxy.Address);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        using var response = await client.PostAsync("/upload", new GeneratedContent(OneGigabyte)).WaitAsync(TestTimeouts.Bulk);
        var counted = await response.Content.ReadAsStringAsync().Within();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OneGigabyte.ToString(System.Globalization.CultureInfo.InvariantCulture), counted);
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);

        // Client, forwarder and upstream share this process, so these bound all three together: a forwarder that
        // buffered the body would allocate at least 1 GB.
        var context = $"allocated {allocated / 1024 / 1024} MB, retained {retained / 1024 / 1024} MB, took {clock.Elapsed}";
        output.WriteLine(context);
        Assert.True(allocated < MemoryBound, "Too much allocated while streaming 1 GB: " + context);
        Assert.True(retained < MemoryBound, "Too much retained after streaming 1 GB: " + context);
    }
}
