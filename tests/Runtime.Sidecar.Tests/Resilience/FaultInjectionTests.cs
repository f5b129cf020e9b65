using System.Diagnostics;
using System.Net;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>Fault injection end to end: aborts (HTTP and gRPC), delays, their percentages, and a client leaving during a delay.</summary>
public sealed class FaultInjectionTests
{
    private const string Host = "faulty.test";

    private const string Routes = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: faulty
        spec:
          hosts: [faulty.test]
          http:
          - name: abortall
            match: [{ uri: { prefix: /abort } }]
            fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }
            route: [{ destination: { host: faulty.test } }]
          - name: grpcabort
            match: [{ uri: { prefix: /grpc } }]
            fault: { abort: { grpcStatus: UNAVAILABLE, percentage: { value: 100 } } }
            route: [{ destination: { host: faulty.test } }]
          - name: delayall
            match: [{ uri: { prefix: /delay } }]
            fault: { delay: { fixedDelay: 300ms, percentage: { value: 100 } } }
            route: [{ destination: { host: faulty.test } }]
          - name: longdelay
            match: [{ uri: { prefix: /long } }]
            fault: { delay: { fixedDelay: 1s, percent: 100 } }
            route: [{ destination: { host: faulty.test } }]
          - name: sampled
            match: [{ uri: { prefix: /sampled } }]
            fault:
              delay: { fixedDelay: 1ms, percentage: { value: 50 } }
              abort: { httpStatus: 503, percentage: { value: 30 } }
            route: [{ destination: { host: faulty.test } }]
          - name: faultfallback
            route: [{ destination: { host: faulty.test } }]
        """;

    [Fact]
    public async Task Fault_Abort_AnswersTheStatusWithFiAndNeverReachesTheUpstream()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "faultfallback");

        using var response = await mesh.SendAsync(Host, "/abort", null, ("x-case", "abort"));

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("FI", RetryTestMesh.Header(response, "x-mesh-reason"));
        Assert.Contains("fault injected: abort with 418 for faulty.test:80", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, upstream.Arrivals("abort"));
    }

    [Fact]
    public async Task Fault_GrpcAbort_AnswersTrailersOnlyGrpcStatus()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "faultfallback");

        using var response = await mesh.SendAsync(Host, "/grpc", null, ("x-case", "grpc"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("14", RetryTestMesh.Header(response, "grpc-status"));
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FI", RetryTestMesh.Header(response, "x-mesh-reason"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, upstream.Arrivals("grpc"));
    }

    [Fact]
    public async Task Fault_Delay_ResponseComesAfterTheDelayAndSaysSo()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "faultfallback");

        var watch = Stopwatch.StartNew();
        using var response = await mesh.SendAsync(Host, "/delay", null, ("x-case", "delay"));
        var elapsed = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("300", RetryTestMesh.Header(response, "x-mesh-fault-delay"));
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5));
        Assert.Equal(1, upstream.Arrivals("delay"));
    }

    [Fact]
    public async Task Fault_ClientLeavesDuringDelay_RequestNeverReachesTheUpstream()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "faultfallback");

        using (var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(150)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/long") { Headers = { Host = Host } };
            request.Headers.Add("x-case", "left");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mesh.Http.SendAsync(request, leaving.Token));
        }

        // The injected delay is 1 s; well after it, a request on the same route arrives and the abandoned one never did.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var later = await mesh.SendAsync(Host, "/long", null, ("x-case", "later"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, upstream.Arrivals("later"));
        Assert.Equal(0, upstream.Arrivals("left"));
    }

    [Fact]
    public async Task Fault_Percentages_DelayAndAbortSampledIndependentlyWithinTolerance()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "faultfallback");

        const int Requests = 1000;
        int aborted = 0, delayed = 0, delayedAndAborted = 0;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await mesh.SendAsync(Host, "/sampled", null, ("x-case", "sampled"));
            var isAborted = RetryTestMesh.Header(response, "x-mesh-reason") == "FI";
            var isDelayed = RetryTestMesh.Header(response, "x-mesh-fault-delay") == "1";
            aborted += isAborted ? 1 : 0;
            delayed += isDelayed ? 1 : 0;
            delayedAndAborted += isAborted && isDelayed ? 1 : 0;
        }

        // Binomial bounds at 5 standard deviations: 30% of 1000 is 300 ± 72; 50% is 500 ± 79; both 15% is 150 ± 56.
        Assert.InRange(aborted, 228, 372);
        Assert.InRange(delayed, 421, 579);
        Assert.InRange(delayedAndAborted, 94, 206);
        Assert.Equal(Requests - aborted, upstream.Arrivals("sampled"));
    }
}
