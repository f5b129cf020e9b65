using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderRoundTripTests
{
    [Fact]
    public async Task ForwardAsync_HopByHopHeaders_RemovedBothWaysAndOthersKept()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            var headers = context.Response.Headers;
            headers["X-Resp"] = "yes";
            headers["Connection"] = "x-resp-listed";
            headers["X-Resp-Listed"] = "drop";
            headers["Keep-Alive"] = "timeout=5";
            headers["Proxy-Authenticate"] = "Basic";
            headers.SetCookie = new[] { "a=1", "b=2" };
            await UpstreamHandlers.EchoRequestAsync(context);
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);

        var response = await RawHttpClient.SendAsync(proxy.Address,
            "GET /echo HTTP/1.1\r\n" +
            "Host: app.local\r\n" +
            "Connection: keep-alive\r\n" +
            "Keep-Alive: timeout=5\r\n" +
            "Proxy-Authorization: Basic abc\r\n" +
            "Proxy-Connection: keep-alive\r\n" +
            "TE: trailers, deflate\r\n" +
            "Trailer: x-t\r\n" +
            "X-Keep: one\r\n" +
            "X-Multi: a\r\n" +
            "X-Multi: b\r\n" +
            "Accept: text/plain\r\n" +
            "\r\n");

        Assert.Equal(200, response.Status);
        var seen = UpstreamHandlers.ParseEcho(response.Body);
        Assert.Equal(["one"], seen["x-keep"]);
        Assert.Equal("a,b", string.Join(",", seen["x-multi"]).Replace(", ", ",", StringComparison.Ordinal));
        Assert.Equal(["text/plain"], seen["accept"]);
        Assert.Equal(["app.local"], seen["host"]);
        Assert.Equal(["trailers"], seen["te"]);
        // Headers a request's Connection header nominates cannot be tested here: Kestrel keeps only the tokens it
        // knows (close, keep-alive, upgrade) in the Connection value the application sees.
        foreach (var hop in new[] { "connection", "keep-alive", "proxy-authorization", "proxy-connection", "trailer" })
        {
            Assert.False(seen.Contains(hop), $"hop-by-hop request header '{hop}' reached the upstream:\n{response.Body}");
        }

        Assert.Equal(["yes"], response.Values("x-resp"));
        Assert.Equal(["a=1", "b=2"], response.Values("set-cookie"));
        Assert.Empty(response.Values("x-resp-listed"));
        Assert.Empty(response.Values("keep-alive"));
        Assert.Empty(response.Values("proxy-authenticate"));
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);
    }

    [Theory]
    [InlineData("/a%2Fb/%7e/./c/../d;x=1/%25/%20?q=%2B+%20&x=%zz&&=&y=a%26b&z=%E2%82%AC&w='!$*,")]
    [InlineData("/plain")]
    [InlineData("//double//slashes/?")]
    public async Task ForwardAsync_OddlyEncodedTarget_ReachesUpstreamByteExact(string target)
    {
        await using var upstream = await TestServer.StartAsync(UpstreamHandlers.EchoRequestAsync);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);

        var response = await RawHttpClient.SendAsync(proxy.Address, $"GET {target} HTTP/1.1\r\nHost: app.local\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal([target], UpstreamHandlers.ParseEcho(response.Body)["target"]);
    }

    [Fact]
    public async Task ForwardAsync_NoAuthority_KeepsIncomingHost()
    {
        await using var upstream = await TestServer.StartAsync(UpstreamHandlers.EchoRequestAsync);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);

        var response = await RawHttpClient.SendAsync(proxy.Address, "GET / HTTP/1.1\r\nHost: reviews:9080\r\nConnection: close\r\n\r\n");

        Assert.Equal(["reviews:9080"], UpstreamHandlers.ParseEcho(response.Body)["host"]);
    }

    [Fact]
    public async Task ForwardAsync_AuthorityAndPathOverride_SentInsteadOfIncoming()
    {
        await using var upstream = await TestServer.StartAsync(UpstreamHandlers.EchoRequestAsync);
        await using var proxy = await ForwardingProxy.StartAsync(
            upstream.Address, configure: r => r with { Authority = "reviews.default.svc.cluster.local:9080", PathAndQuery = "/v2/reviews?id=%2F1" });

        var response = await RawHttpClient.SendAsync(proxy.Address, "GET /reviews?id=1 HTTP/1.1\r\nHost: reviews\r\nConnection: close\r\n\r\n");

        var seen = UpstreamHandlers.ParseEcho(response.Body);
        Assert.Equal(["reviews.default.svc.cluster.local:9080"], seen["host"]);
        Assert.Equal(["/v2/reviews?id=%2F1"], seen["target"]);
    }

    [Fact]
    public async Task ForwardAsync_Post_BodyStatusAndContentHeadersRoundTrip()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/x-echo";
            context.Response.Headers.ContentLanguage = "en";
            await context.Response.WriteAsync($"{context.Request.Method} {context.Request.ContentType} {context.Request.ContentLength} {body}");
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = TestClients.Http1(proxy.Address);

        using var response = await client.PostAsync("/orders", new StringContent("hello", Encoding.UTF8, "text/plain")).Within();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/x-echo", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
        Assert.Equal("POST text/plain; charset=utf-8 5 hello", await response.Content.ReadAsStringAsync().Within());
    }

    [Fact]
    public async Task ForwardAsync_HeaderHooks_SetAddRemoveAppliedBothWays()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            context.Response.Headers["x-resp-set"] = "old";
            context.Response.Headers["x-resp-add"] = "a";
            context.Response.Headers["x-resp-remove"] = "gone";
            await UpstreamHandlers.EchoRequestAsync(context);
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, configure: r => r with
        {
            RequestHeaders = h =>
            {
                h.Set("x-set", "new");
                h.Add("x-add", "2");
                h.Remove("x-remove");
                h.Set("content-type", "application/json");
            },
            ResponseHeaders = h =>
            {
                h.Set("x-resp-set", "new");
                h.Add("x-resp-add", "b");
                h.Remove("x-resp-remove");
            },
        });
        using var client = TestClients.Http1(proxy.Address);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/hooks") { Content = new StringContent("{}") };
        request.Headers.Add("x-set", "old");
        request.Headers.Add("x-add", "1");
        request.Headers.Add("x-remove", "secret");

        using var response = await client.SendAsync(request).Within();

        var seen = UpstreamHandlers.ParseEcho(await response.Content.ReadAsStringAsync().Within());
        Assert.Equal(["new"], seen["x-set"]);
        Assert.Equal(["1", "2"], seen["x-add"].SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
        Assert.False(seen.Contains("x-remove"));
        Assert.Equal(["application/json"], seen["content-type"]);
        Assert.Equal(["new"], response.Headers.GetValues("x-resp-set"));
        Assert.Equal(["a", "b"], response.Headers.GetValues("x-resp-add"));
        Assert.False(response.Headers.Contains("x-resp-remove"));
    }
}
