using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Tcp;

namespace Runtime.Sidecar.Tests.Tcp;

public sealed class TcpTunnelTimeoutsTests
{
    [Fact]
    public void For_NoPool_EnvoysHourIdleNoDurationNoKeepalive()
    {
        var timeouts = TcpTunnelTimeouts.For(null);

        Assert.Equal(TimeSpan.FromHours(1), timeouts.Idle);
        Assert.Null(timeouts.MaxDuration);
        Assert.Null(timeouts.Keepalive);
    }

    [Fact]
    public void For_ZeroIdleDurationAndKeepalive_IdleOffRestApplied()
    {
        var timeouts = TcpTunnelTimeouts.For(new TcpConnectionPool
        {
            IdleTimeout = Duration("0s"),
            MaxConnectionDuration = Duration("30s"),
            TcpKeepalive = new TcpKeepalive { Time = Duration("10s"), Interval = Duration("2s"), Probes = 3 },
        });

        Assert.Null(timeouts.Idle);
        Assert.Equal(TimeSpan.FromSeconds(30), timeouts.MaxDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), timeouts.Keepalive!.Time);
        Assert.Equal(TimeSpan.FromSeconds(2), timeouts.Keepalive.Interval);
        Assert.Equal(3, timeouts.Keepalive.Probes);
    }

    [Fact]
    public void For_OnlyMaxConnections_DefaultIdleKept()
    {
        Assert.Equal(TimeSpan.FromHours(1), TcpTunnelTimeouts.For(new TcpConnectionPool { MaxConnections = 5 }).Idle);
    }

    private static MeshDuration Duration(string text) => MeshDuration.TryParse(text, out var duration) ? duration : throw new ArgumentException(text);
}
