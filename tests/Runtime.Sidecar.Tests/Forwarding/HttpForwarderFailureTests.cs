using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderFailureTests
{
    [Fact]
    public async Task ForwardAsync_UpstreamRefusesConnections_ConnectFailureAnd503WithReason()
    {
        // Bound but not listening: connections are refused, and no other test can take the port meanwhile.
        using var closedPort = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closedPort.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closedPort.LocalEndPoint!).Port;
        await using var proxy = await ForwardingProxy.StartAsync(new Uri($"http://127.0.0.1:{port}"));
        using var client = TestClients.Http1(proxy.Address);

        using var response = await client.GetAsync("/").Within();

        var result = await proxy.NextResultAsync();
        Assert.Equal(ForwardOutcome.ConnectFailure, result.Outcome);
        Assert.False(result.ResponseStarted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(["UF"], response.Headers.GetValues(ForwardErrorWriter.ReasonHeader));
        Assert.Equal("upstream connect error\n", await response.Content.ReadAsStringAsync().Within());
        proxy.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task ForwardAsync_UpstreamSlowerThanTimeout_UpstreamTimeoutAnd504()
    {
        var release = new Gate();
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            await release.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("too late");
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, configure: r => r with { Timeout = TimeSpan.FromMilliseconds(500) });
        using var client = TestClients.Http1(proxy.Address);

        try
        {
            using var response = await client.GetAsync("/slow").Within();

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Equal(["UT"], response.Headers.GetValues(ForwardErrorWriter.ReasonHeader));
            var result = await proxy.NextResultAsync();
            Assert.Equal(ForwardOutcome.UpstreamTimeout, result.Outcome);
            Assert.Equal(504, result.StatusCode);
            proxy.Logs.AssertNoErrors();
        }
        finally
        {
            release.Open();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ForwardAsync_UpstreamAbortsMidBody_ClientSeesAbortedResponseNotTruncatedSuccess(bool declareLength)
    {
        var clientHasFirstBytes = new Gate();
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            if (declareLength)
            {
                context.Response.ContentLength = 100_000;
            }

            await context.Response.Body.WriteAsync(new byte[1000]);
            await context.Response.Body.FlushAsync();
            await clientHasFirstBytes.WaitAsync(context.RequestAborted);
            context.Abort();
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = TestClients.Http1(proxy.Address);

        using var response = await client.GetAsync("/partial", HttpCompletionOption.ResponseHeadersRead).Within();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync().Within();
        await TestClients.ReadExactlyAsync(stream, 1000);
        clientHasFirstBytes.Open();

        await Assert.ThrowsAnyAsync<IOException>(() => stream.CopyToAsync(Stream.Null).Within());
        var result = await proxy.NextResultAsync();
        Assert.Equal(ForwardOutcome.UpstreamReset, result.Outcome);
        Assert.True(result.ResponseStarted);
        proxy.Logs.AssertNoErrors();
    }

    [Fact]
    public async Task ForwardAsync_ClientAbortsUpload_ReportedAsClientSideWithoutErrorLogs()
    {
        var uploadStarted = new Gate();
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (await context.Request.Body.ReadAsync(buffer) > 0)
                {
                    uploadStarted.Open();
                }
            }
            catch (IOException)
            {
                // The forwarder aborted the upstream request: expected.
            }
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = TestClients.Http1(proxy.Address);
        var content = new FailingContent(uploadStarted);

        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/upload", content).Within());

        var result = await proxy.NextResultAsync();
        Assert.Contains(result.Outcome, new[] { ForwardOutcome.RequestBodyFailed, ForwardOutcome.Canceled });
        Assert.False(result.IsSuccess);
        proxy.Logs.AssertNoErrors();
        upstream.Logs.AssertNoErrors();
    }

    /// <summary>Declares 10 MB, sends some, waits until the upstream saw bytes, then fails (the client aborts).</summary>
    private sealed class FailingContent(Gate uploadStarted) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[256 * 1024]);
            await stream.FlushAsync();
            await uploadStarted.WaitAsync("the upstream to receive the first bytes");
            throw new IOException("client gave up");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 10_000_000;
            return true;
        }
    }
}
