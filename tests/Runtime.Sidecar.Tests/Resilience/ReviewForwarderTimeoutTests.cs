using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// A retry whose route deadline passed during its back-off is sent with a timeout at or below zero: the forwarder
/// must time it out at once, not read -1 ms as "no timeout" nor throw on a more negative one.
/// </summary>
public sealed class ReviewForwarderTimeoutTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-15_000)] // -1.5 ms: CancelAfter would read it as -1 ms, an infinite timeout
    [InlineData(-50_000)] // -5 ms: CancelAfter would throw
    public async Task ForwardAsync_TimeoutAlreadyPast_TimesOutAtOnce(long ticks)
    {
        var release = new Gate();
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            await release.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("too late");
        });
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, configure: r => r with { Timeout = TimeSpan.FromTicks(ticks) });
        using var client = TestClients.Http1(proxy.Address);

        try
        {
            using var response = await client.GetAsync("/").Within();

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            var result = await proxy.NextResultAsync();
            Assert.Equal(ForwardOutcome.UpstreamTimeout, result.Outcome);
            proxy.Logs.AssertNoErrors();
        }
        finally
        {
            release.Open();
        }
    }
}
