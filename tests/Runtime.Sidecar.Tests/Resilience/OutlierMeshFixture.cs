using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>Shared pieces of the resilience end-to-end tests: failing apps, requests, and reading <c>/clusters</c>.</summary>
internal static class OutlierMeshFixture
{
    public const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    /// <summary>An app that answers every request with <paramref name="status"/> and its name.</summary>
    public static Task<TestServer> StartFailingAppAsync(string name, int status = 500) =>
        TestServer.StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"{name} {context.Request.Path}");
        });

    public static HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TestTimeouts.Default };

    /// <summary>GET <paramref name="path"/> through the client sidecar as an app in the mesh sends it (Host: reviews).</summary>
    public static async Task<(int Status, string Body, string? Reason)> GetAsync(HttpClient http, RunningSidecar client, string path, string host = "reviews")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, path));
        request.Headers.Host = host;
        using var response = await http.SendAsync(request).Within();
        var reason = response.Headers.TryGetValues("x-mesh-reason", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim(), reason);
    }

    /// <summary>The <c>/clusters</c> entries for <paramref name="host"/>'s clusters.</summary>
    public static async Task<JsonElement[]> ClustersAsync(RunningSidecar sidecar, string host = ReviewsFqdn)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var all = await http.GetFromJsonAsync<JsonElement>(new Uri(sidecar.AdminAddress, "/clusters"));
        return [.. all.EnumerateArray().Where(s => s.GetProperty("host").GetString() == host).SelectMany(s => s.GetProperty("clusters").EnumerateArray())];
    }

    /// <summary>The outlier state <c>/clusters</c> shows for the endpoint at <paramref name="inbound"/>, or null.</summary>
    public static async Task<JsonElement?> OutlierOfAsync(RunningSidecar client, Uri inbound, string host = ReviewsFqdn)
    {
        foreach (var cluster in await ClustersAsync(client, host))
        {
            foreach (var endpoint in cluster.GetProperty("endpoints").EnumerateArray())
            {
                if (endpoint.GetProperty("address").GetString() == $"{inbound.Host}:{inbound.Port}")
                {
                    return endpoint.GetProperty("outlier");
                }
            }
        }

        return null;
    }

    public static TimeSpan EjectionLength(JsonElement outlier) =>
        outlier.GetProperty("ejectedUntil").GetDateTimeOffset() - outlier.GetProperty("ejectedAt").GetDateTimeOffset();
}
