using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>The per-cluster pooled client: settings from <c>connectionPool</c>, sharing, disposal, real connections.</summary>
public sealed class ConnectionPoolTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);

    [Fact]
    public void Settings_NothingThatShapesTheClient_UsesTheSharedClient()
    {
        Assert.Null(ConnectionPoolClientSettings.From(null));
        Assert.Null(ConnectionPoolClientSettings.From(new ConnectionPoolSettings { Http = new HttpConnectionPool { Http2MaxRequests = 5, MaxRetries = 10 } }));
    }

    [Fact]
    public void Settings_Defaults_FollowIstio()
    {
        var settings = ConnectionPoolClientSettings.From(new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 4 } });

        Assert.Equal(new ConnectionPoolClientSettings(TimeSpan.FromSeconds(10), 4, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan, null), settings);
    }

    [Fact]
    public void Settings_EveryField_Mapped()
    {
        var settings = ConnectionPoolClientSettings.From(new ConnectionPoolSettings
        {
            Tcp = new TcpConnectionPool
            {
                ConnectTimeout = OutlierDetectionTests.Duration("250ms"),
                MaxConnectionDuration = OutlierDetectionTests.Duration("5m"),
                TcpKeepalive = new TcpKeepalive { Time = OutlierDetectionTests.Duration("30s"), Interval = OutlierDetectionTests.Duration("5s"), Probes = 3 },
            },
            Http = new HttpConnectionPool { IdleTimeout = OutlierDetectionTests.Duration("0s") },
        });

        Assert.Equal(
            new ConnectionPoolClientSettings(TimeSpan.FromMilliseconds(250), int.MaxValue, Timeout.InfiniteTimeSpan, TimeSpan.FromMinutes(5), new ConnectionPoolKeepalive(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 3)),
            settings);
        Assert.Equal(TimeSpan.Zero, ConnectionPoolClientSettings.From(new ConnectionPoolSettings { Http = new HttpConnectionPool { MaxRequestsPerConnection = 1 } })!.Lifetime);
    }

    [Fact]
    public void Rent_EqualSettingsInTwoClusters_ShareOneClientDisposedAfterTheLastRequest()
    {
        var clients = new ConnectionPoolClients();
        var policy = new TrafficPolicy { ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 3 } } };
        var a = new ClusterResilience(Key, TimeProvider.System, clients, NullLogger.Instance);
        var b = new ClusterResilience(Key with { Subset = "v2" }, TimeProvider.System, clients, NullLogger.Instance);
        var endpoint = OutlierDetectionTests.Endpoint("10.0.0.1");
        a.Apply(0, policy, [endpoint]);
        b.Apply(0, policy, [endpoint]);
        Assert.True(a.TryEnterRequest(endpoint, false, out var inFlight, out _));
        Assert.True(b.TryEnterRequest(endpoint, false, out var other, out _));
        Assert.Same(inFlight.Client, other.Client);
        other.Dispose();
        Assert.Equal(1, clients.Count);

        a.Dispose();
        b.Dispose();
        Assert.Equal(1, clients.Count);

        inFlight.Dispose();
        Assert.Equal(0, clients.Count);
    }

    [Fact]
    public void Apply_PoolSettingsChanged_SwapsTheClient()
    {
        var clients = new ConnectionPoolClients();
        using var cluster = new ClusterResilience(Key, TimeProvider.System, clients, NullLogger.Instance);
        var endpoint = OutlierDetectionTests.Endpoint("10.0.0.1");
        cluster.Apply(0, new TrafficPolicy { ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 3 } } }, [endpoint]);
        Assert.True(cluster.TryEnterRequest(endpoint, false, out var before, out _));

        cluster.Apply(1, new TrafficPolicy { ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 4 } } }, [endpoint]);
        Assert.True(cluster.TryEnterRequest(endpoint, false, out var after, out _));

        Assert.NotSame(before.Client, after.Client);
        Assert.Equal(2, clients.Count);
        before.Dispose();
        Assert.Equal(1, clients.Count);
        after.Dispose();

        cluster.Apply(2, null, [endpoint]);
        Assert.Equal(0, clients.Count);
    }

    [Fact]
    public async Task Client_MaxRequestsPerConnectionOne_OpensAConnectionPerRequest()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Connection.Id));

        var once = await ConnectionIdsAsync(server, new HttpConnectionPool { MaxRequestsPerConnection = 1 });
        var reused = await ConnectionIdsAsync(server, new HttpConnectionPool { IdleTimeout = OutlierDetectionTests.Duration("1h") });

        Assert.Equal(3, once.Distinct().Count());
        Assert.Single(reused.Distinct());
    }

    [Fact]
    public async Task Client_MaxRequestsPerConnectionTwo_EachConnectionServesExactlyTwo()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Connection.Id));

        var ids = await ConnectionIdsAsync(server, new HttpConnectionPool { MaxRequestsPerConnection = 2 }, requests: 6);

        Assert.Equal([2, 2, 2], ids.GroupBy(id => id).Select(g => g.Count()));
        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public async Task CountingStream_LastAllowedRequestSplitAcrossWrites_GetsConnectionCloseAfterTheRequestLine()
    {
        using var wire = new MemoryStream();
        await using var stream = new ConnectionPoolRequestCountingStream(wire, maxRequests: 2);

        await stream.WriteAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        _ = await stream.ReadAsync(new byte[1]);
        await stream.WriteAsync("GET /b HTTP/1.1\r"u8.ToArray());
        await stream.WriteAsync("\nHost: x\r\n\r\n"u8.ToArray());

        Assert.Equal(
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\nHost: x\r\n\r\n",
            System.Text.Encoding.ASCII.GetString(wire.ToArray()));
        Assert.Equal(2, stream.RequestsStarted);
    }

    [Fact]
    public async Task Client_TcpKeepalive_ConnectsWithKeepaliveSocket()
    {
        await using var server = await TestServer.StartAsync(context => context.Response.WriteAsync("ok"));
        var ids = await ConnectionIdsAsync(server, null, new TcpConnectionPool { TcpKeepalive = new TcpKeepalive { Time = OutlierDetectionTests.Duration("30s") } });

        Assert.Equal(["ok", "ok", "ok"], ids);
    }

    [Fact]
    public void Keepalive_Apply_SetsTheSocketOptions()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);

        new ConnectionPoolKeepalive(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1500), 3).Apply(socket);

        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(30, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(2, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(3, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
    }

    private static async Task<List<string>> ConnectionIdsAsync(TestServer server, HttpConnectionPool? http, TcpConnectionPool? tcp = null, int requests = 3)
    {
        var clients = new ConnectionPoolClients();
        var settings = ConnectionPoolClientSettings.From(new ConnectionPoolSettings { Http = http, Tcp = tcp })!;
        var client = clients.Rent(settings);
        try
        {
            var bodies = new List<string>();
            for (var i = 0; i < requests; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, server.Address);
                using var response = await client.Invoker.SendAsync(request, CancellationToken.None).Within();
                bodies.Add(await response.Content.ReadAsStringAsync());
            }

            return bodies;
        }
        finally
        {
            client.Release();
        }
    }
}
