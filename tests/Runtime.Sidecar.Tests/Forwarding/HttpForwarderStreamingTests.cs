using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderStreamingTests
{
    [Fact]
    public async Task ForwardAsync_ChunkedRequestAndStreamingResponse_FirstChunkArrivesBeforeUpstreamFinishes()
    {
        var secondChunkAllowed = new Gate();
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            var body = new byte[64 * 1024];
            long received = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(body)) > 0)
            {
                received += read;
            }

            await context.Response.WriteAsync($"first {context.Request.Headers.TransferEncoding} {context.Request.ContentLength?.ToString() ?? "none"} {received}\n");
            await secondChunkAllowed.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("second\n");
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = TestClients.Http1(proxy.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = new GeneratedContent(300_000, declareLength: false) };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Within();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().Within(), Encoding.UTF8);

        Assert.Equal("first chunked none 300000", await reader.ReadLineAsync().Within());
        Assert.True(response.Headers.TransferEncodingChunked);
        secondChunkAllowed.Open();
        Assert.Equal("second", await reader.ReadLineAsync().Within());
        Assert.Null(await reader.ReadLineAsync().Within());
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);
    }

    [Fact]
    public async Task ForwardAsync_ExpectContinueUpload_ClientGetsContinueAndBodyArrives()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            var body = new byte[64 * 1024];
            long received = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(body)) > 0)
            {
                received += read;
            }

            await context.Response.WriteAsync($"{context.Request.Headers.Expect} {received}");
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);

        // A long continue timeout: the client sends the body only once the 100 Continue actually came back.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TestTimeouts.Default, UseProxy = false })
        {
            BaseAddress = proxy.Address,
        };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/upload") { Content = new GeneratedContent(1_000_000) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("100-continue 1000000", await response.Content.ReadAsStringAsync().Within());
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);
    }
}
