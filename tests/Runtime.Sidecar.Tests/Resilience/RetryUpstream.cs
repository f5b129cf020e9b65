using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// A real loopback upstream that fails on command. A request names its case (<c>x-case</c>), how to fail
/// (<c>x-fail</c>: a status such as <c>503</c>, <c>reset</c>, <c>slow</c>, <c>grpc-14</c>, <c>header</c>) and how many
/// of its first arrivals fail (<c>x-fail-times</c>, default 1). Every arrival is counted per case, so a test
/// sees exactly how many tries reached the upstream.
/// </summary>
internal sealed class RetryUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failed = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Case, string RequestId)> _requestIds = new();
    private readonly TestServer _server;
    private readonly int? _alwaysFail;

    private RetryUpstream(TestServer server, string name, int? alwaysFail)
    {
        _server = server;
        Name = name;
        _alwaysFail = alwaysFail;
    }

    public string Name { get; }

    public int Port => _server.Address.Port;

    /// <summary>How many requests of <paramref name="testCase"/> arrived.</summary>
    public int Arrivals(string testCase) => _arrivals.TryGetValue(testCase, out var n) ? n : 0;

    /// <summary>The <c>x-request-id</c> of each arrival of <paramref name="testCase"/>, in order.</summary>
    public IReadOnlyList<string> RequestIds(string testCase) => [.. _requestIds.Where(r => r.Case == testCase).Select(r => r.RequestId)];

    /// <summary>How many requests of <paramref name="testCase"/> were failed on command.</summary>
    public int Failed(string testCase) => _failed.TryGetValue(testCase, out var n) ? n : 0;

    /// <summary>Starts an upstream; with <paramref name="alwaysFail"/> it answers every request with that status.</summary>
    public static async Task<RetryUpstream> StartAsync(string name, int? alwaysFail = null)
    {
        RetryUpstream? self = null;
        var server = await TestServer.StartAsync(context => self!.HandleAsync(context), unlimitedBodies: true);
        self = new RetryUpstream(server, name, alwaysFail);
        return self;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var testCase = headers["x-case"].ToString();
        var arrival = _arrivals.AddOrUpdate(testCase, 1, (_, n) => n + 1);
        _requestIds.Enqueue((testCase, headers["x-request-id"].ToString()));
        var failTimes = headers.TryGetValue("x-fail-times", out var times) ? int.Parse(times.ToString(), CultureInfo.InvariantCulture) : 1;
        var fail = _alwaysFail?.ToString(CultureInfo.InvariantCulture) ?? headers["x-fail"].ToString();
        var failing = _alwaysFail is not null
            || (headers.ContainsKey("x-alternate") ? arrival % 2 == 1 : arrival <= failTimes);
        if (fail.Length > 0 && failing)
        {
            _failed.AddOrUpdate(testCase, 1, (_, n) => n + 1);
            if (headers.ContainsKey("x-fail-after-body"))
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
            }

            await FailAsync(context, fail);
            return;
        }

        context.Response.Headers["x-served-by"] = Name;
        context.Response.Headers["x-arrival"] = arrival.ToString(CultureInfo.InvariantCulture);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{body.Length} {Convert.ToHexString(SHA256.HashData(body.ToArray()))}"));
            return;
        }

        await context.Response.WriteAsync($"ok {Name}");
    }

    private static async Task FailAsync(HttpContext context, string fail)
    {
        switch (fail)
        {
            case "reset":
                context.Abort();
                return;
            case "slow":
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await context.Response.WriteAsync("slow");
                return;
            case "header":
                context.Response.Headers["x-retry-me"] = "1";
                await context.Response.WriteAsync("flagged");
                return;
            case var grpc when grpc.StartsWith("grpc-", StringComparison.Ordinal):
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = grpc["grpc-".Length..];
                return;
            default:
                context.Response.StatusCode = int.Parse(fail, CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("failed on command");
                return;
        }
    }
}
