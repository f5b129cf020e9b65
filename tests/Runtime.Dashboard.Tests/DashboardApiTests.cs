using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Runtime.Sidecar.Tests.Mesh;

namespace Runtime.Dashboard.Tests;

/// <summary>The dashboard's files and JSON endpoints on a real control plane with real sidecars.</summary>
public sealed class DashboardApiTests(BookinfoMesh mesh) : IClassFixture<BookinfoMesh>, IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = mesh.Http, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Dashboard_WithoutSlash_RedirectsToTheUi()
    {
        using var response = await _http.GetAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/dashboard/", "text/html", "<title>Runtime mesh dashboard</title>")]
    [InlineData("/dashboard/index.html", "text/html", "app.js")]
    [InlineData("/dashboard/app.js", "text/javascript", "/api/dashboard/graph")]
    [InlineData("/dashboard/app.css", "text/css", ".graph-wrap")]
    public async Task UiFile_Get_ServedWithContentTypeAndETag(string path, string mediaType, string contains)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains(contains, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoCache, "UI files must be revalidated (Cache-Control: no-cache)");

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        using var revalidated = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var full = await _http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public async Task UiFile_Unknown_NotFound()
    {
        using var response = await _http.GetAsync(new Uri("/dashboard/nope.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Proxies_Get_ListsEverySidecarSyncedWithItsCertificate()
    {
        var proxies = await WaitForAsync("/api/dashboard/proxies", "every proxy SYNCED with a certificate", body =>
        {
            var rows = body.GetProperty("proxies").EnumerateArray().ToList();
            return rows.Count == BookinfoMesh.ProxyCount && rows.All(p => p.GetProperty("state").GetString() == "SYNCED" && p.GetProperty("certificate").ValueKind == JsonValueKind.Object);
        });
        var reviewsV2 = proxies.GetProperty("proxies").EnumerateArray().Single(p => p.GetProperty("service").GetString() == "reviews" && p.GetProperty("version").GetString() == "v2");
        Assert.Equal("default", reviewsV2.GetProperty("namespace").GetString());
        Assert.True(reviewsV2.GetProperty("connected").GetBoolean());
        Assert.Equal(reviewsV2.GetProperty("latestVersion").GetString(), reviewsV2.GetProperty("ackedVersion").GetString());
        Assert.Equal(JsonValueKind.Null, reviewsV2.GetProperty("nackError").ValueKind);
        var certificate = reviewsV2.GetProperty("certificate");
        Assert.Equal("spiffe://cluster.local/ns/default/sa/reviews", certificate.GetProperty("spiffeId").GetString());
        var notAfter = certificate.GetProperty("notAfter").GetDateTimeOffset();
        var secondsLeft = certificate.GetProperty("secondsLeft").GetInt64();
        Assert.InRange(secondsLeft, 1, (long)(notAfter - DateTimeOffset.UtcNow).TotalSeconds + 5);
        Assert.EndsWith("Z", certificate.GetProperty("notAfter").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_Get_ListsResourcesAppliedToEveryProxy()
    {
        var config = await WaitForAsync("/api/dashboard/config", "the VirtualService and DestinationRule applied to all proxies", body =>
            body.GetProperty("resources").EnumerateArray().Count(r => r.GetProperty("name").GetString() == "reviews"
                && r.GetProperty("applied").GetInt32() == BookinfoMesh.ProxyCount && r.GetProperty("proxies").GetInt32() == BookinfoMesh.ProxyCount) == 2);
        Assert.Equal(BookinfoMesh.ProxyCount, config.GetProperty("proxies").GetInt32());
        var virtualService = config.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "VirtualService");
        Assert.Equal("default", virtualService.GetProperty("namespace").GetString());
        Assert.True(virtualService.GetProperty("resourceVersion").GetInt64() > 0);
        Assert.Empty(virtualService.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task Config_ResourceWithAnalyzerFinding_ReportsIt()
    {
        await mesh.ApplyAsync("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: details-typo, namespace: other }
            spec:
              hosts: [details.other.svc.cluster.local]
              http:
              - route:
                - destination: { host: detials.other.svc.cluster.local }
            """);
        var config = await WaitForAsync("/api/dashboard/config", "the typo VirtualService", body =>
            body.GetProperty("resources").EnumerateArray().Any(r => r.GetProperty("name").GetString() == "details-typo"));
        var row = config.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "details-typo");
        var findings = row.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("code").GetString()!.StartsWith("MSH", StringComparison.Ordinal)
            && f.GetProperty("path").GetString()!.Contains("destination.host", StringComparison.Ordinal)
            && f.GetProperty("message").GetString()!.Contains("detials", StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Contains(f.GetProperty("severity").GetString(), new[] { "Error", "Warning", "Info" }));
        // No exportTo: every proxy should hold it, whatever its namespace.
        Assert.Equal(BookinfoMesh.ProxyCount, row.GetProperty("proxies").GetInt32());
    }

    [Fact]
    public async Task Node_KnownVersion_ShowsEndpointsProxiesAndConfig()
    {
        var node = await WaitForAsync("/api/dashboard/node?namespace=default&service=reviews&version=v2", "reviews v2 with one endpoint", body =>
            body.GetProperty("endpoints").GetArrayLength() == 1);
        Assert.Equal("default/reviews/v2", node.GetProperty("id").GetString());
        Assert.Equal("reviews.default.svc.cluster.local", node.GetProperty("host").GetString());
        var endpoint = node.GetProperty("endpoints")[0];
        Assert.Equal("127.0.0.1", endpoint.GetProperty("address").GetString());
        Assert.True(endpoint.GetProperty("port").GetInt32() > 0);
        Assert.Equal("HEALTHY", endpoint.GetProperty("health").GetString());
        Assert.Equal("v2", endpoint.GetProperty("version").GetString());
        Assert.Equal(0, endpoint.GetProperty("ejectedBy").GetInt32());
        Assert.Equal(node.GetProperty("proxies")[0].GetProperty("id").GetString(), endpoint.GetProperty("proxyId").GetString());
        var config = node.GetProperty("config").EnumerateArray().Select(c => (c.GetProperty("kind").GetString(), c.GetProperty("name").GetString(), c.GetProperty("why").GetString())).ToList();
        Assert.Contains(("VirtualService", "reviews", "routes host reviews.default.svc.cluster.local"), config);
        Assert.Contains(("DestinationRule", "reviews", "traffic policy for host reviews.default.svc.cluster.local"), config);
        Assert.Equal(JsonValueKind.Array, node.GetProperty("inbound").ValueKind);
        Assert.Equal(JsonValueKind.Array, node.GetProperty("outbound").ValueKind);
    }

    [Fact]
    public async Task Node_Unknown_NotFoundWithError()
    {
        using var response = await _http.GetAsync(new Uri("/api/dashboard/node?namespace=default&service=reviews&version=v9", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("default/reviews/v9", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/dashboard/node?namespace=default&version=v1", "service")]
    [InlineData("/api/dashboard/node?namespace=default&service=reviews&service=ratings&version=v1", "service")]
    [InlineData("/api/dashboard/node?namespace=Bad_NS&service=reviews&version=v1", "namespace")]
    [InlineData("/api/dashboard/node?namespace=default&service=reviews&version=v1&colour=red", "colour")]
    [InlineData("/api/dashboard/proxies?window=30", "window")]
    [InlineData("/api/dashboard/config?all=1", "all")]
    public async Task Query_Bad_BadRequestNamingTheParameter(string url, string parameter)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
        Assert.Contains($"'{parameter}'", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> WaitForAsync(string url, string what, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually.Async($"{what} at {url} (last: {(last.ValueKind == JsonValueKind.Undefined ? "none" : last.ToString())})", async () =>
        {
            using var response = await _http.GetAsync(new Uri(url, UriKind.Relative));
            response.EnsureSuccessStatusCode();
            last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return condition(last);
        });
        return last;
    }
}
