using System.Text.Json;
using Runtime.Abstractions.Discovery;
using Runtime.Cli.Api;
using Runtime.Cli.Output;
using Runtime.Cli.Tests.Testing;
using static Runtime.Cli.Tests.Testing.FakeSidecar;

namespace Runtime.Cli.Tests.Commands;

public sealed class ProxyCommandsTests
{
    [Fact]
    public async Task ProxyStatus_NoProxies_SaysSo()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("proxy-status");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No proxies registered.", result.Error.Trim());
    }

    [Fact]
    public async Task ProxyStatus_SubscribedAndSilentProxies_SyncedAndDisconnectedRows()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        using var ratings = await RegisterAsync(plane.Server, "ratings", "bookinfo", "10.0.0.3", "ratings-v1-1");
        var acked = await product.WaitForAsync(s => HasEndpoint(s, ratings.ProxyId), "the ratings endpoint");

        var result = await plane.RunAsync("proxy-status");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^NAME\s+SERVICE\s+NAMESPACE\s+ADDRESS\s+STATE\s+VERSION\s+AGE\s+CERTIFICATE$", result.OutputLines[0]);
        Assert.Matches($@"^productpage-v1-1\s+productpage\s+bookinfo\s+10\.0\.0\.1:15006\s+SYNCED\s+{acked.Version}\s+\d+s\s+none$", result.OutputLines[1]);
        Assert.Matches(@"^ratings-v1-1\s+ratings\s+bookinfo\s+10\.0\.0\.3:15006\s+DISCONNECTED\s+-\s+\d+s\s+none$", result.OutputLines[2]);
        Assert.Equal(3, result.OutputLines.Length);
    }

    [Theory]
    [InlineData(null, "none")]
    [InlineData(-1, "unknown expiry")]
    [InlineData(23 * 3600 + 59, "expires in 23h")]
    [InlineData(90, "expires in 90s")]
    [InlineData(-300, "EXPIRED 5m ago")]
    public void ProxyStatus_CertificateColumn_RemainingLifeOrWhyNone(int? secondsLeft, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var certificate = secondsLeft switch
        {
            null => null,
            -1 => new ReportedCertificate("spiffe://cluster.local/ns/a/sa/b", null),
            { } seconds => new ReportedCertificate("spiffe://cluster.local/ns/a/sa/b", now.AddSeconds(seconds)),
        };

        Assert.Equal(expected, ProxyStatusTable.Certificate(certificate, now));
    }

    [Fact]
    public async Task ProxyStatus_Nack_RowIsNackedAndFollowedByTheReason()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        var good = await product.WaitForAsync(s => HasEndpoint(s, product.ProxyId), "its own endpoint");

        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        var rejected = await product.WaitForAsync(s => HasResource(s, "VirtualService", "reviews") && HasResource(s, "DestinationRule", "reviews"), "the reviews route and rule", ack: false);
        await product.AckAsync(rejected.Version, "subset v1 of reviews has no endpoints");
        var result = await plane.RunAsync("proxy-status", "-n", "bookinfo");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"^productpage-v1-1\s+productpage\s+bookinfo\s+10\.0\.0\.1:15006\s+NACKED\s+{good.Version}\s+\d+s\s+none$", result.OutputLines[1]);
        Assert.Equal($"NACK of version {rejected.Version}: subset v1 of reviews has no endpoints", result.OutputLines[2]);
    }

    [Fact]
    public async Task ProxyConfig_Sections_SummariseRoutesClustersAndEndpoints()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        using var reviews = await RegisterAsync(plane.Server, "reviews", "bookinfo", "10.0.1.1", "reviews-v1-1", ("app", "reviews"), ("version", "v1"));
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        await product.WaitForAsync(s => HasEndpoint(s, reviews.ProxyId) && HasResource(s, "DestinationRule", "reviews"), "the reviews endpoint and rules");

        var routes = await plane.RunAsync("proxy-config", "routes", "productpage.bookinfo");
        var clusters = await plane.RunAsync("proxy-config", "clusters", "productpage-v1-1");
        var endpoints = await plane.RunAsync("proxy-config", "endpoints", product.ProxyId);
        var all = await plane.RunAsync("proxy-config", "all", product.ProxyId);

        Assert.Equal(0, routes.ExitCode);
        Assert.Matches(@"^HOST\s+MATCH\s+ROUTE\s+VIRTUAL SERVICE$", routes.OutputLines[0]);
        Assert.Matches(@"^reviews\.bookinfo\.svc\.cluster\.local\s+/\*\s+reviews\.bookinfo\.svc\.cluster\.local\|v1\s+reviews\.bookinfo$", routes.OutputLines[1]);
        Assert.Matches(@"^SERVICE FQDN\s+PORT\s+SUBSET\s+DESTINATION RULE$", clusters.OutputLines[0]);
        Assert.Contains(clusters.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^reviews\.bookinfo\.svc\.cluster\.local\s+-\s+-\s+reviews\.bookinfo$"));
        Assert.Contains(clusters.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^reviews\.bookinfo\.svc\.cluster\.local\s+-\s+v1\s+reviews\.bookinfo$"));
        Assert.Contains(clusters.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^productpage\.bookinfo\.svc\.cluster\.local\s+-\s+-\s+-$"));
        Assert.Matches(@"^ENDPOINT\s+STATUS\s+OUTLIER\s+EJECTED BY\s+SERVICE\s+LABELS$", endpoints.OutputLines[0]);
        Assert.Contains(endpoints.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^10\.0\.1\.1:15006\s+HEALTHY\s+-\s+-\s+reviews\.bookinfo\.svc\.cluster\.local\s+app=reviews,version=v1$"));
        Assert.Equal(3, all.OutputLines.Count(l => l.StartsWith("HOST", StringComparison.Ordinal) || l.StartsWith("SERVICE FQDN", StringComparison.Ordinal) || l.StartsWith("ENDPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProxyConfigEndpoints_OutlierReports_ThisProxysEjectionsAndTheMeshCount()
    {
        const string reviews = "reviews.bookinfo.svc.cluster.local";
        await using var plane = await ControlPlane.StartAsync();
        using var first = await RegisterAsync(plane.Server, "reviews", "bookinfo", "10.0.1.1", "reviews-v1-1");
        using var second = await RegisterAsync(plane.Server, "reviews", "bookinfo", "10.0.1.2", "reviews-v1-2");
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        using var details = await RegisterAsync(plane.Server, "details", "bookinfo", "10.0.0.4", "details-v1-1");
        await product.WaitForAsync(s => HasEndpoint(s, first.ProxyId) && HasEndpoint(s, second.ProxyId) && HasEndpoint(s, details.ProxyId), "every endpoint");
        var until = new DateTimeOffset(2026, 11, 21, 12, 0, 31, TimeSpan.Zero);
        await product.HeartbeatAsync(
            new(reviews, "10.0.1.1", 15006, true, 2, until, "5 consecutive 5xx"),
            new(reviews, "10.0.1.2", 15006, false, 1, null, "3 consecutive gateway errors"));
        await details.HeartbeatAsync(new EndpointOutlierStatus(reviews, "10.0.1.1", 15006, true, 1, until.AddSeconds(-20), "3 consecutive gateway errors"));
        await first.HeartbeatAsync();

        var table = await plane.RunAsync("proxy-config", "endpoints", "productpage-v1-1");
        var json = await plane.RunAsync("proxy-config", "endpoints", "productpage-v1-1", "-o", "json");
        var yaml = await plane.RunAsync("proxy-config", "all", "details-v1-1", "-o", "yaml");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"^ENDPOINT\s+STATUS\s+OUTLIER\s+EJECTED BY\s+SERVICE\s+LABELS$", table.OutputLines[0]);
        Assert.Single(table.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(
            l, @"^10\.0\.1\.1:15006\s+HEALTHY\s+ejected \(2x, until 12:00:31Z\): 5 consecutive 5xx\s+2/3 proxies\s+reviews\.bookinfo\.svc\.cluster\.local\s+-$"));
        // Ejected before but readmitted: nothing to flag for this proxy, and nobody ejects it now.
        Assert.Single(table.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^10\.0\.1\.2:15006\s+HEALTHY\s+-\s+0/3 proxies\s+reviews\."));
        Assert.Single(table.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^10\.0\.0\.4:15006\s+HEALTHY\s+-\s+0/3 proxies\s+details\."));
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        var endpoint = document.RootElement.GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("host").GetString() == reviews)
            .GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("address").GetString() == "10.0.1.1");
        var own = endpoint.GetProperty("outlier");
        Assert.True(own.GetProperty("ejected").GetBoolean());
        Assert.Equal(2, own.GetProperty("ejectionCount").GetInt32());
        Assert.Equal("2026-11-21T12:00:31Z", own.GetProperty("ejectedUntil").GetString());
        Assert.Equal("5 consecutive 5xx", own.GetProperty("reason").GetString());
        var mesh = endpoint.GetProperty("meshOutlier");
        Assert.Equal((2, 3, 2, "5 consecutive 5xx"), (mesh.GetProperty("ejectedBy").GetInt32(), mesh.GetProperty("reportingProxies").GetInt32(), mesh.GetProperty("maxEjectionCount").GetInt32(), mesh.GetProperty("lastReason").GetString()));
        Assert.Equal(0, yaml.ExitCode);
        Assert.Contains("reason: 3 consecutive gateway errors", yaml.Output, StringComparison.Ordinal);
        Assert.Contains("ejectedBy: 2", yaml.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyConfigEndpoints_NoProxyReports_OutlierColumnsDashed()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        await product.WaitForAsync(s => HasEndpoint(s, product.ProxyId), "its own endpoint");

        var table = await plane.RunAsync("proxy-config", "endpoints", "productpage-v1-1");

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"^10\.0\.0\.1:15006\s+HEALTHY\s+-\s+-\s+productpage\.bookinfo\.svc\.cluster\.local\s+-$", table.OutputLines[1]);
    }

    [Fact]
    public async Task ProxyConfig_OutputJsonAndYaml_PrintTheSnapshot()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        using var product = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        var pushed = await product.WaitForAsync(s => HasResource(s, "VirtualService", "reviews"), "the reviews route");

        var json = await plane.RunAsync("proxy-config", "all", "productpage-v1-1", "-o", "json");
        var yaml = await plane.RunAsync("proxy-config", "routes", "productpage-v1-1", "-o", "yaml");

        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        var root = document.RootElement;
        Assert.Equal(product.ProxyId, root.GetProperty("proxyId").GetString());
        Assert.Equal(pushed.Version, root.GetProperty("version").GetString());
        Assert.Equal(["DestinationRule", "VirtualService"], root.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal("productpage.bookinfo.svc.cluster.local", root.GetProperty("services")[0].GetProperty("host").GetString());
        Assert.Equal(0, yaml.ExitCode);
        Assert.Contains($"proxyId: {product.ProxyId}", yaml.Output, StringComparison.Ordinal);
        Assert.Contains("kind: VirtualService", yaml.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyConfig_UnknownProxy_NotFoundExitOne()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("proxy-config", "routes", "ghost.default");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): no registered proxy is \"ghost.default\"; meshctl proxy-status lists them", result.Error.Trim());
    }

    [Fact]
    public async Task Get_RoutingKinds_AppliedColumnCountsAckedProxies()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        using var acking = await RegisterAsync(plane.Server, "productpage", "bookinfo", "10.0.0.1", "productpage-v1-1");
        using var nacking = await RegisterAsync(plane.Server, "details", "bookinfo", "10.0.0.4", "details-v1-1");
        await acking.WaitForAsync(s => HasResource(s, "VirtualService", "reviews") && HasEndpoint(s, nacking.ProxyId), "the route and both endpoints");
        var rejected = await nacking.WaitForAsync(s => HasResource(s, "VirtualService", "reviews") && HasEndpoint(s, acking.ProxyId), "the route and both endpoints", ack: false);
        await nacking.AckAsync(rejected.Version, "rejected");

        var vs = await plane.RunAsync("get", "vs", "-n", "bookinfo");
        var all = await plane.RunAsync("get", "all", "-A");

        Assert.Equal(0, vs.ExitCode);
        Assert.Matches(@"^NAME\s+GATEWAYS\s+HOSTS\s+APPLIED\s+AGE$", vs.OutputLines[0]);
        Assert.Matches(@"^reviews\s+\[reviews\]\s+1/2\s+\d+s$", vs.OutputLines[1]);
        Assert.Contains(all.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^bookinfo\s+destinationrule\.networking\.istio\.io/reviews\s+reviews\s+1/2\s+\d+s$"));
    }
}
