using System.Diagnostics;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>
/// A sidecar that goes away without deregistering, by cancelling its Subscribe call or losing its TCP connection,
/// is no longer counted as connected: ListProxies (what meshctl proxy-status shows) says DISCONNECTED and the
/// connected-proxies gauge drops, while the other proxy stays connected.
/// </summary>
public sealed class SubscribeCancellationTests
{
    [Theory]
    [InlineData("cancel the Subscribe call between reads")]
    [InlineData("cancel the Subscribe call during a read")]
    [InlineData("close the TCP connection")]
    public async Task SidecarGoneWithoutDeregistering_IsDisconnected_InListProxiesAndTheGauge(string how)
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var (stays, leaves) = await TwoConnectedSidecarsAsync(f);

        await LeaveAsync(leaves, how).Within(how);

        await AssertOnlyStaysConnectedAsync(f, stays, leaves);
    }

    private static Task LeaveAsync(FakeSidecar sidecar, string how)
    {
        switch (how)
        {
            case "cancel the Subscribe call between reads":
                return sidecar.CloseStreamAsync();
            case "cancel the Subscribe call during a read":
                return sidecar.CancelPendingReadAsync();
            default:
                sidecar.CloseConnections();
                return Task.CompletedTask;
        }
    }

    private static async Task<(FakeSidecar Stays, FakeSidecar Leaves)> TwoConnectedSidecarsAsync(DiscoveryFixture f)
    {
        var stays = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        var leaves = await f.RegisterAsync("reviews", "bookinfo", "10.0.0.2");
        foreach (var sidecar in new[] { stays, leaves })
        {
            sidecar.Subscribe();
            await sidecar.NextAsync("the first snapshot");
        }

        await ProxiesWhenAsync(f, p => p.All(s => s.Connected), "both proxies connected");
        return (stays, leaves);
    }

    private static async Task AssertOnlyStaysConnectedAsync(DiscoveryFixture f, FakeSidecar stays, FakeSidecar leaves)
    {
        var proxies = await ProxiesWhenAsync(
            f, p => p.Single(s => s.ProxyId == leaves.ProxyId).State == V1.SyncState.Disconnected, $"{leaves.ProxyId} to be DISCONNECTED");

        var left = proxies.Single(p => p.ProxyId == leaves.ProxyId);
        var stayed = proxies.Single(p => p.ProxyId == stays.ProxyId);
        Assert.False(left.Connected);
        // The other proxy's state may be STALE (its endpoints changed after its read), never DISCONNECTED.
        Assert.True(stayed.Connected);
        Assert.NotEqual(V1.SyncState.Disconnected, stayed.State);
        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");
        Assert.Contains("silo_discovery_proxies_connected 1", metrics.Split('\n'));
        Assert.Contains("silo_discovery_proxies_registered 2", metrics.Split('\n'));
    }

    /// <summary>Polls ListProxies until <paramref name="settled"/> holds; fails after the generous default timeout.</summary>
    private static async Task<IReadOnlyList<V1.ProxyStatus>> ProxiesWhenAsync(DiscoveryFixture f, Func<IReadOnlyList<V1.ProxyStatus>, bool> settled, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var proxies = (await f.ListProxiesAsync().Within("ListProxies")).Proxies;
            if (settled(proxies))
            {
                return proxies;
            }

            if (clock.Elapsed > Timeouts.Default)
            {
                throw new TimeoutException($"timed out after {Timeouts.Default.TotalSeconds}s waiting for {what}; last: {string.Join(", ", proxies.Select(p => $"{p.ProxyId} {p.State} connected={p.Connected}"))}");
            }

            await Task.Delay(100);
        }
    }
}
