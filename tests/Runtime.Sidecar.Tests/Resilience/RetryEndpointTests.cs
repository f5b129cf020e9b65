using System.Net;
using System.Security.Cryptography;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Retries across endpoints, connect failures, the request body on retry, and the reason words of the
/// responses the sidecar generates when retrying cannot help.
/// </summary>
public sealed class RetryEndpointTests
{
    [Fact]
    public async Task Retry_FiftyPercentFailingEndpoints_AllFourHundredRequestsSucceed()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var a = await mesh.StartUpstreamAsync("a");
        var b = await mesh.StartUpstreamAsync("b");
        await mesh.ApplyAsync("half.test", [a.Port, b.Port], VirtualService("half.test", "halfroute", "{ attempts: 3, retryOn: 5xx }"), "halfroute");

        var failures = 0;
        for (var i = 0; i < 400; i++)
        {
            // Each endpoint fails every other arrival of the shared case: exactly half of all tries fail.
            using var response = await mesh.SendAsync("half.test", "/", null, ("x-case", "half"), ("x-fail", "503"), ("x-fail-times", "0"), ("x-alternate", "1"));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures++;
            }
        }

        var tries = a.Arrivals("half") + b.Arrivals("half");
        Assert.Equal(0, failures);
        Assert.Equal(tries - 400, a.Failed("half") + b.Failed("half"));
        Assert.InRange(a.Failed("half") + b.Failed("half"), (tries / 2) - 2, (tries / 2) + 2);
        Assert.True(a.Failed("half") > 100 && b.Failed("half") > 100, $"both endpoints fail: a {a.Failed("half")}, b {b.Failed("half")}");
    }

    [Fact]
    public async Task Retry_OneEndpointAlwaysFailing_RetryGoesToTheOtherEndpoint()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var bad = await mesh.StartUpstreamAsync("bad", alwaysFail: 503);
        var good = await mesh.StartUpstreamAsync("good");
        await mesh.ApplyAsync("pair.test", [bad.Port, good.Port], VirtualService("pair.test", "pairroute", "{ attempts: 1, retryOn: 5xx }"), "pairroute");

        for (var i = 0; i < 20; i++)
        {
            using var response = await mesh.SendAsync("pair.test", "/", null, ("x-case", "pair"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good", RetryTestMesh.Header(response, "x-served-by"));
        }

        Assert.Equal(20, good.Arrivals("pair"));
        Assert.InRange(bad.Arrivals("pair"), 1, 20);
    }

    [Fact]
    public async Task Retry_ClosedPortAndLiveEndpoint_ConnectFailureRetriedOnTheLiveOne()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var live = await mesh.StartUpstreamAsync("live");
        await mesh.ApplyAsync("mixed.test", [RetryUpstream.ClosedPort(), live.Port], VirtualService("mixed.test", "mixedroute", "{ attempts: 1, retryOn: connect-failure }"), "mixedroute");

        for (var i = 0; i < 20; i++)
        {
            using var response = await mesh.SendAsync("mixed.test", "/", null, ("x-case", "mixed"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(20, live.Arrivals("mixed"));
    }

    [Fact]
    public async Task Retry_ReasonWords_UfUcUrxUtAreDistinctAndExplained()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync("dead.test", [RetryUpstream.ClosedPort()], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: dead
            spec:
              hosts: [dead.test]
              http:
              - name: deadnoretry
                match: [{ uri: { prefix: /no-retry } }]
                retries: { attempts: 0 }
                route: [{ destination: { host: dead.test } }]
              - name: deadnotmatching
                match: [{ uri: { prefix: /not-matching } }]
                retries: { attempts: 2, retryOn: retriable-4xx }
                route: [{ destination: { host: dead.test } }]
              - name: deadretried
                route: [{ destination: { host: dead.test } }]
                retries: { attempts: 2, retryOn: connect-failure }
            """, "deadretried");
        await mesh.ApplyAsync("live.test", [upstream.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: live
            spec:
              hosts: [live.test]
              http:
              - name: livereset
                match: [{ uri: { prefix: /reset } }]
                retries: { attempts: 0 }
                route: [{ destination: { host: live.test } }]
              - name: liveresetretried
                match: [{ uri: { prefix: /retried-reset } }]
                retries: { attempts: 2, retryOn: reset }
                route: [{ destination: { host: live.test } }]
              - name: liveslow
                timeout: 300ms
                route: [{ destination: { host: live.test } }]
            """, "liveslow");

        using var uf = await mesh.SendAsync("dead.test", "/no-retry");
        using var notMatching = await mesh.SendAsync("dead.test", "/not-matching");
        using var urx = await mesh.SendAsync("dead.test", "/");
        using var uc = await mesh.SendAsync("live.test", "/reset", null, ("x-case", "uc"), ("x-fail", "reset"));
        using var urxReset = await mesh.SendAsync("live.test", "/retried-reset", null, ("x-case", "urx-reset"), ("x-fail", "reset"), ("x-fail-times", "100"));
        using var ut = await mesh.SendAsync("live.test", "/slow", null, ("x-case", "ut"), ("x-fail", "slow"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "UF"), (uf.StatusCode, RetryTestMesh.Header(uf, "x-mesh-reason")));
        Assert.Contains("connect failure", await uf.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "UF"), (notMatching.StatusCode, RetryTestMesh.Header(notMatching, "x-mesh-reason")));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "URX"), (urx.StatusCode, RetryTestMesh.Header(urx, "x-mesh-reason")));
        var urxText = await urx.Content.ReadAsStringAsync();
        Assert.Contains("retry limit exceeded: 3 tries to dead.test:80", urxText, StringComparison.Ordinal);
        Assert.Contains("last: connect failure", urxText, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "UC"), (uc.StatusCode, RetryTestMesh.Header(uc, "x-mesh-reason")));
        Assert.Equal(1, upstream.Arrivals("uc"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "URX"), (urxReset.StatusCode, RetryTestMesh.Header(urxReset, "x-mesh-reason")));
        Assert.Equal(3, upstream.Arrivals("urx-reset"));
        Assert.Equal((HttpStatusCode.GatewayTimeout, "UT"), (ut.StatusCode, RetryTestMesh.Header(ut, "x-mesh-reason")));
        Assert.Contains("upstream request timeout after 300ms for live.test:80", await ut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retry_RequestBody_ReplayedByteExactly(bool chunked)
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync("body.test", [upstream.Port], VirtualService("body.test", "bodyroute", "{ attempts: 2, retryOn: 5xx }"), "bodyroute");
        var body = RandomNumberGenerator.GetBytes(40_000);

        using var response = await mesh.SendAsync("body.test", "/", Content(body, chunked), ("x-case", "body"), ("x-fail", "503"), ("x-fail-times", "2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.Arrivals("body"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retry_BodyOverTheBufferLimit_NotRetried(bool chunked)
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u");
        await mesh.ApplyAsync("big.test", [upstream.Port], VirtualService("big.test", "bigroute", "{ attempts: 2, retryOn: 5xx }"), "bigroute");
        var body = RandomNumberGenerator.GetBytes(200_000);

        using var response = await mesh.SendAsync("big.test", "/", Content(body, chunked), ("x-case", "big"), ("x-fail", "503"), ("x-fail-after-body", "1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed on command", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, upstream.Arrivals("big"));
    }

    private static HttpContent Content(byte[] body, bool chunked)
    {
        var content = chunked ? new StreamContent(new MemoryStream(body)) : (HttpContent)new ByteArrayContent(body);
        if (!chunked)
        {
            content.Headers.ContentLength = body.Length;
        }

        return content;
    }

    private static string VirtualService(string host, string name, string retries) => $$"""
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: {{name}}
        spec:
          hosts: [{{host}}]
          http:
          - name: {{name}}
            retries: {{retries}}
            route: [{ destination: { host: {{host}} } }]
        """;
}
