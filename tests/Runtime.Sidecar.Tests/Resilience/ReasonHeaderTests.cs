using System.Net;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Tests.Mesh;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Every reason word a client sidecar can answer with, provoked for real in one mesh: each response the mesh
/// generates carries <c>x-mesh-reason</c> and a one-line body naming the service, and no two causes share a word.
/// The delay fault has no word on the response (the response is the upstream's); it is marked by
/// <c>x-mesh-fault-delay</c>. <c>DC</c> (client gone) is only logged: there is no response to look at.
/// </summary>
public sealed class ReasonHeaderTests
{
    [Fact]
    public async Task ReasonHeader_EveryCause_ItsOwnWordAndAOneLineSentenceNamingTheService()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var live = await mesh.StartUpstreamAsync("live");
        await using var holding = await ResilienceIntegrationUpstream.StartAsync();
        await mesh.ApplyAsync("dead.test", [RetryUpstream.ClosedPort()], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: dead
            spec:
              hosts: [dead.test]
              http:
              - name: deadnoretry
                match: [{ uri: { prefix: /uf } }]
                retries: { attempts: 0 }
                route: [{ destination: { host: dead.test } }]
              - name: deadretried
                retries: { attempts: 2, retryOn: connect-failure }
                route: [{ destination: { host: dead.test } }]
            """, "deadretried");
        await mesh.ApplyAsync("live.test", [live.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: live
            spec:
              hosts: [live.test]
              http:
              - name: livereset
                match: [{ uri: { prefix: /uc } }]
                retries: { attempts: 0 }
                route: [{ destination: { host: live.test } }]
              - name: liveslow
                match: [{ uri: { prefix: /ut } }]
                timeout: 300ms
                route: [{ destination: { host: live.test } }]
              - name: liveabort
                match: [{ uri: { prefix: /fi } }]
                fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }
                route: [{ destination: { host: live.test } }]
              - name: livedelay
                match: [{ uri: { prefix: /di } }]
                fault: { delay: { fixedDelay: 50ms, percentage: { value: 100 } } }
                route: [{ destination: { host: live.test } }]
              - name: nosubset
                match: [{ uri: { prefix: /uh } }]
                route: [{ destination: { host: live.test, subset: nobody } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: live-subsets
            spec:
              host: live.test
              subsets:
              - name: nobody
                labels: { version: none }
            """, "live-subsets");
        await MeshHarness.WaitForConfigAsync(mesh.Client, "nosubset");
        await mesh.ApplyAsync("pool.test", [holding.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: pool
            spec:
              hosts: [pool.test]
              http:
              - name: poolroute
                route: [{ destination: { host: pool.test } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: pool-one
            spec:
              host: pool.test
              trafficPolicy:
                connectionPool: { http: { http2MaxRequests: 1 } }
            """, "pool-one");
        await MeshHarness.WaitForConfigAsync(mesh.Client, "poolroute");

        var words = new List<string>();

        using (var nr = await mesh.SendAsync("nowhere.test", "/"))
        {
            words.Add(await AssertGeneratedAsync(nr, HttpStatusCode.NotFound, "NR", "nowhere.test"));
        }

        using (var uh = await mesh.SendAsync("live.test", "/uh", null, ("x-case", "uh")))
        {
            words.Add(await AssertGeneratedAsync(uh, HttpStatusCode.ServiceUnavailable, "UH", "no healthy endpoints for live.test:80 subset nobody"));
            Assert.Equal(0, live.Arrivals("uh"));
        }

        // One request held at the upstream fills http2MaxRequests 1; the next is refused at once.
        var held = mesh.SendAsync("pool.test", "/", null, ("x-case", "held"), ("x-hold", "1"));
        await holding.WaitForHeldAsync("held", 1);
        using (var uo = await mesh.SendAsync("pool.test", "/", null, ("x-case", "uo")))
        {
            words.Add(await AssertGeneratedAsync(uo, HttpStatusCode.ServiceUnavailable, "UO", "connection pool overflow for pool.test:80: 1 requests in flight, http2MaxRequests 1"));
            Assert.Equal(0, holding.Arrivals("uo"));
        }

        holding.Release.Open();
        using (var released = await held)
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        }

        using (var ut = await mesh.SendAsync("live.test", "/ut", null, ("x-case", "ut"), ("x-fail", "slow")))
        {
            words.Add(await AssertGeneratedAsync(ut, HttpStatusCode.GatewayTimeout, "UT", "upstream request timeout after 300ms for live.test:80"));
        }

        using (var urx = await mesh.SendAsync("dead.test", "/urx"))
        {
            words.Add(await AssertGeneratedAsync(urx, HttpStatusCode.ServiceUnavailable, "URX", "retry limit exceeded: 3 tries to dead.test:80, last: connect failure"));
        }

        using (var uf = await mesh.SendAsync("dead.test", "/uf"))
        {
            words.Add(await AssertGeneratedAsync(uf, HttpStatusCode.ServiceUnavailable, "UF", "upstream connect failure: dead.test:80"));
        }

        using (var uc = await mesh.SendAsync("live.test", "/uc", null, ("x-case", "uc"), ("x-fail", "reset")))
        {
            words.Add(await AssertGeneratedAsync(uc, HttpStatusCode.ServiceUnavailable, "UC", "upstream connection terminated: live.test:80"));
            Assert.Equal(1, live.Arrivals("uc"));
        }

        using (var fi = await mesh.SendAsync("live.test", "/fi", null, ("x-case", "fi")))
        {
            words.Add(await AssertGeneratedAsync(fi, (HttpStatusCode)418, "FI", "fault injected: abort with 418 for live.test:80"));
            Assert.Equal(0, live.Arrivals("fi"));
        }

        Assert.Equal(["FI", "NR", "UC", "UF", "UH", "UO", "URX", "UT"], words.Order(StringComparer.Ordinal));
        Assert.Equal(8, words.Distinct(StringComparer.Ordinal).Count());

        // DI: the delayed request reaches the upstream; its answer is relayed unchanged but for the delay header.
        using var delayed = await mesh.SendAsync("live.test", "/di", null, ("x-case", "di"));
        Assert.Equal(HttpStatusCode.OK, delayed.StatusCode);
        Assert.Equal("ok live", await delayed.Content.ReadAsStringAsync());
        Assert.Equal("50", RetryTestMesh.Header(delayed, FaultInjection.DelayHeader));
        Assert.Equal("", RetryTestMesh.Header(delayed, "x-mesh-reason"));
        Assert.Equal(1, live.Arrivals("di"));
    }

    /// <summary>Asserts a mesh-generated answer and returns its reason word.</summary>
    private static async Task<string> AssertGeneratedAsync(HttpResponseMessage response, HttpStatusCode status, string word, string sentence)
    {
        var reason = RetryTestMesh.Header(response, "x-mesh-reason");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode && word == reason, $"expected {(int)status} {word}, got {(int)response.StatusCode} '{reason}': {body}");
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var line = body[..^1];
        Assert.DoesNotContain('\n', line);
        Assert.Contains(sentence, line, StringComparison.Ordinal);
        return reason;
    }
}
