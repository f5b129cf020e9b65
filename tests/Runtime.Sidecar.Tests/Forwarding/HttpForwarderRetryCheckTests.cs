using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderRetryCheckTests
{
    [Fact]
    public async Task ForwardAsync_CheckClaimsResponse_NothingRelayedAndStatusReturned()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            context.Response.StatusCode = context.Request.Path == "/fail" ? 503 : 200;
            context.Response.Headers["x-upstream"] = "1";
            await context.Response.WriteAsync("upstream body");
        });
        var check = new StatusCheck(503);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, configure: r => r with { RetryCheck = check });
        using var client = TestClients.Http1(proxy.Address);

        using var failed = await client.GetAsync("/fail").Within();
        var failedResult = await proxy.NextResultAsync();
        using var ok = await client.GetAsync("/ok").Within();
        var okResult = await proxy.NextResultAsync();

        Assert.Equal(ForwardOutcome.RetriableResponse, failedResult.Outcome);
        Assert.Equal(503, failedResult.StatusCode);
        Assert.False(failedResult.ResponseStarted);
        Assert.False(failed.Headers.Contains("x-upstream"));
        Assert.DoesNotContain("upstream body", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ForwardOutcome.Success, okResult.Outcome);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("upstream body", await ok.Content.ReadAsStringAsync());
        Assert.Equal([503, 200], check.Seen);
    }

    private sealed class StatusCheck(int status) : IUpstreamResponseCheck
    {
        public List<int> Seen { get; } = [];

        public bool ShouldRetry(HttpResponseMessage response)
        {
            Seen.Add((int)response.StatusCode);
            return (int)response.StatusCode == status;
        }
    }
}
