using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>A request body kept for retries is let go as soon as a response is relayed (no try can follow).</summary>
public sealed class RetryBodyReleaseTests
{
    [Theory]
    [InlineData("5xx", HttpStatusCode.OK)]
    [InlineData("connect-failure", HttpStatusCode.OK)]
    [InlineData("connect-failure", HttpStatusCode.ServiceUnavailable)]
    public async Task ShouldRetry_ResponseRelayed_BodyStopsBeingKept(string retryOn, HttpStatusCode status)
    {
        var body = RandomNumberGenerator.GetBytes(20_000);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = null;
        context.Request.Headers.TransferEncoding = "chunked";
        using var attempts = new AttemptContext(context, new RouteActions { RetryPolicy = RetryPolicy.Compile(new HttpRetry { Attempts = 2, RetryOn = retryOn }) }, [], null);
        var kept = Assert.IsType<RetryBodyBuffer>(context.Request.Body);
        var head = new byte[5_000];
        await kept.ReadExactlyAsync(head);
        Assert.Equal(5_000, kept.KeptBytes);

        // Whatever the policy retries, the forwarder asks about every response while a body is kept.
        var check = attempts.RetryCheck;
        Assert.NotNull(check);
        using var response = new HttpResponseMessage(status);
        Assert.False(check.ShouldRetry(response));

        var rest = new MemoryStream();
        await kept.CopyToAsync(rest);
        Assert.Equal(body, head.Concat(rest.ToArray()).ToArray());
        Assert.Equal(0, kept.KeptBytes);
        Assert.False(kept.CanReplay);
    }
}
