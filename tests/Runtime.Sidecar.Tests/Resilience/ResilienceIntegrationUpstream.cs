using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// A loopback upstream for the merged retry and circuit-breaker tests: per case (<c>x-case</c>) its first
/// <c>x-fail-first</c> arrivals answer 503, and with <c>x-hold</c> every other arrival is held until
/// <see cref="Release"/> opens, so a test can keep a try (and the retry or request place it holds) in flight
/// for as long as it needs, without sleeps.
/// </summary>
internal sealed class ResilienceIntegrationUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly TestServer _server;

    private ResilienceIntegrationUpstream(TestServer server) => _server = server;

    /// <summary>Opens to let every held arrival answer 200.</summary>
    public Gate Release { get; } = new();

    public int Port => _server.Address.Port;

    /// <summary>How many requests of <paramref name="testCase"/> arrived.</summary>
    public int Arrivals(string testCase) => _arrivals.TryGetValue(testCase, out var n) ? n : 0;

    public static async Task<ResilienceIntegrationUpstream> StartAsync()
    {
        ResilienceIntegrationUpstream? self = null;
        var server = await TestServer.StartAsync(context => self!.HandleAsync(context));
        self = new ResilienceIntegrationUpstream(server);
        return self;
    }

    /// <summary>Waits until <paramref name="count"/> arrivals of <paramref name="testCase"/> are being held.</summary>
    public Task WaitForHeldAsync(string testCase, int count) =>
        Eventually.Async($"{count} held arrivals of case '{testCase}'", () => Task.FromResult(_held.TryGetValue(testCase, out var n) && n >= count));

    public ValueTask DisposeAsync()
    {
        Release.Open();
        return _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var testCase = headers["x-case"].ToString();
        var arrival = _arrivals.AddOrUpdate(testCase, 1, (_, n) => n + 1);
        var failFirst = int.TryParse(headers["x-fail-first"].ToString(), out var n) ? n : 0;
        if (arrival <= failFirst)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"refused arrival {arrival}");
            return;
        }

        if (headers.ContainsKey("x-hold"))
        {
            _held.AddOrUpdate(testCase, 1, (_, held) => held + 1);
            await Release.WaitAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync($"served arrival {arrival}");
    }
}
