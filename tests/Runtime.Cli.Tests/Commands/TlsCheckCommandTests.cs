using System.Text.Json;
using System.Text.RegularExpressions;
using Runtime.Cli.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Tests.Commands;

/// <summary><c>meshctl x tls-check</c> against a real control plane with registered workloads and applied policies.</summary>
public sealed class TlsCheckCommandTests
{
    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: mesh-system
        spec:
          mtls:
            mode: STRICT
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: details-legacy
          namespace: bookinfo
        spec:
          selector:
            matchLabels:
              app: details
          portLevelMtls:
            9080:
              mode: PERMISSIVE
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: ratings
          namespace: bookinfo
        spec:
          host: ratings
          trafficPolicy:
            tls:
              mode: DISABLE
        """;

    private static V1.ProxyIdentity Identity(string service, int appPort, string instance) => new()
    {
        Service = service,
        Namespace = "bookinfo",
        ServiceAccount = "bookinfo-" + service,
        Address = "10.0.0." + (instance.Length % 200),
        InboundPort = 15006,
        AppPort = appPort,
        Instance = instance,
        Labels = { ["app"] = service },
    };

    private static async Task<Bookinfo> StartAsync()
    {
        var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(Policies, "apply", "-f", "-");
        var bookinfo = new Bookinfo(plane);
        foreach (var (service, instance) in new[] { ("details", "details-v1-1"), ("ratings", "ratings-v1-1"), ("productpage", "productpage-v1-1") })
        {
            bookinfo.Sidecars.Add(await FakeSidecar.RegisterAsync(plane.Server, Identity(service, 9080, instance)));
        }

        return bookinfo;
    }

    /// <summary>The control plane and the registered sidecars, released together.</summary>
    private sealed class Bookinfo(ControlPlane plane) : IAsyncDisposable
    {
        public ControlPlane Plane => plane;

        public List<FakeSidecar> Sidecars { get; } = [];

        public async ValueTask DisposeAsync()
        {
            Sidecars.ForEach(s => s.Dispose());
            await plane.DisposeAsync();
        }
    }

    [Fact]
    public async Task TlsCheck_AllServices_TableWithModesPoliciesRulesAndConflictReason()
    {
        await using var bookinfo = await StartAsync();
        var plane = bookinfo.Plane;

        var result = await plane.RunAsync("x", "tls-check");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.OutputLines;
        Assert.Matches(@"^HOST:PORT\s+STATUS\s+SERVER\s+CLIENT\s+AUTHN POLICY\s+DESTINATION RULE\s+CERTIFICATES$", lines[0]);
        Assert.Matches(@"^details\.bookinfo\.svc\.cluster\.local:9080\s+OK\s+PERMISSIVE\s+ISTIO_MUTUAL \(auto\)\s+bookinfo/details-legacy port 9080\s+-\s+unknown$", lines[1]);
        Assert.Matches(@"^productpage\.bookinfo\.svc\.cluster\.local:9080\s+OK\s+STRICT\s+ISTIO_MUTUAL \(auto\)\s+mesh-system/default\s+-\s+unknown$", lines[2]);
        Assert.Matches(@"^ratings\.bookinfo\.svc\.cluster\.local:9080\s+CONFLICT\s+STRICT\s+DISABLE\s+mesh-system/default\s+bookinfo/ratings\s+unknown$", lines[3]);
        Assert.Equal(
            "CONFLICT ratings.bookinfo.svc.cluster.local:9080: clients send plaintext (DestinationRule bookinfo/ratings: DISABLE) but the server is STRICT (mesh-system/default): refused (servers: ratings-v1-1; clients: details-v1-1, productpage-v1-1, ratings-v1-1)",
            lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Theory]
    [InlineData("ratings", null)]
    [InlineData("ratings", "bookinfo")]
    [InlineData("ratings.bookinfo", null)]
    [InlineData("ratings.bookinfo.svc.cluster.local", null)]
    [InlineData("ratings.bookinfo.svc.cluster.local:9080", "bookinfo")]
    public async Task TlsCheck_OneServiceByAnyName_JsonRow(string name, string? ns)
    {
        await using var bookinfo = await StartAsync();
        var plane = bookinfo.Plane;

        var result = await plane.RunAsync(ns is null ? ["x", "tls-check", name, "-o", "json"] : ["x", "tls-check", name, "-n", ns, "-o", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var row = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("ratings.bookinfo.svc.cluster.local", row.GetProperty("host").GetString());
        Assert.Equal(9080, row.GetProperty("port").GetInt32());
        Assert.Equal("CONFLICT", row.GetProperty("status").GetString());
        Assert.Equal("STRICT", row.GetProperty("server").GetProperty("mode").GetString());
        Assert.Equal("mesh-system/default", row.GetProperty("server").GetProperty("peerAuthentication").GetString());
        Assert.Equal(["ratings-v1-1"], row.GetProperty("server").GetProperty("workloads").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal("DISABLE", row.GetProperty("client").GetProperty("mode").GetString());
        Assert.False(row.GetProperty("client").GetProperty("autoMtls").GetBoolean());
        Assert.Equal("bookinfo/ratings", row.GetProperty("client").GetProperty("destinationRule").GetString());
        Assert.Equal("unknown", row.GetProperty("client").GetProperty("certificates").GetString());
        Assert.Contains("server is STRICT", row.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCheck_UnknownServiceOrBadName_ErrorNamesIt()
    {
        await using var bookinfo = await StartAsync();
        var plane = bookinfo.Plane;

        var unknown = await plane.RunAsync("x", "tls-check", "reviews.bookinfo");
        var otherNamespace = await plane.RunAsync("x", "tls-check", "ratings", "-n", "default");
        var bad = await plane.RunAsync("x", "tls-check", "ratings.bookinfo:http");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("error: service reviews.bookinfo.svc.cluster.local not found: no registered workload serves it (known: details.bookinfo, productpage.bookinfo, ratings.bookinfo)", unknown.Error.Trim());
        Assert.Equal(1, otherNamespace.ExitCode);
        Assert.StartsWith("error: service ratings.default.svc.cluster.local not found", otherNamespace.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("port after ':'", bad.Error, StringComparison.Ordinal);
        Assert.Empty(unknown.Output + otherNamespace.Output + bad.Output);
        Assert.DoesNotMatch(new Regex("Exception"), unknown.Error + otherNamespace.Error + bad.Error);
    }
}
