using System.Globalization;
using System.Net;
using System.Text;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Each <c>retryOn</c> condition end to end: a client sidecar routes to a real upstream that fails its first
/// arrival on command; counting arrivals shows whether the sidecar retried (2 arrivals, 200) or not (1 arrival,
/// the failure relayed).
/// </summary>
public sealed class RetryConditionTests
{
    private const string Host = "flaky.test";

    private static readonly (string Route, string Retries)[] Routes =
    [
        ("c-5xx", "{ attempts: 2, retryOn: 5xx }"),
        ("c-gateway", "{ attempts: 2, retryOn: gateway-error }"),
        ("c-reset", "{ attempts: 2, retryOn: reset }"),
        ("c-connect", "{ attempts: 2, retryOn: connect-failure }"),
        ("c-4xx", "{ attempts: 2, retryOn: retriable-4xx }"),
        ("c-numeric", "{ attempts: 2, retryOn: \"418,reset\" }"),
        ("c-codes-only", "{ attempts: 2, retryOn: retriable-status-codes }"),
        ("c-headers", "{ attempts: 2, retryOn: retriable-headers }"),
        ("c-cancelled", "{ attempts: 2, retryOn: cancelled }"),
        ("c-deadline", "{ attempts: 2, retryOn: deadline-exceeded }"),
        ("c-internal", "{ attempts: 2, retryOn: internal }"),
        ("c-exhausted", "{ attempts: 2, retryOn: resource-exhausted }"),
        ("c-unavailable", "{ attempts: 2, retryOn: unavailable }"),
        ("c-off", "{ attempts: 0 }"),
        ("c-default", ""),
    ];

    /// <summary>Route, how the first arrival fails, extra request header, whether the sidecar must retry.</summary>
    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "c-5xx", "500", "", true },
        { "c-5xx", "503", "", true },
        { "c-5xx", "reset", "", true },
        { "c-5xx", "409", "", false },
        { "c-5xx", "grpc-14", "", false },
        { "c-gateway", "502", "", true },
        { "c-gateway", "503", "", true },
        { "c-gateway", "504", "", true },
        { "c-gateway", "reset", "", true },
        { "c-gateway", "500", "", false },
        { "c-reset", "reset", "", true },
        { "c-reset", "503", "", false },
        { "c-connect", "503", "", false },
        { "c-connect", "reset", "", false },
        { "c-4xx", "409", "", true },
        { "c-4xx", "404", "", false },
        { "c-4xx", "500", "", false },
        { "c-numeric", "418", "", true },
        { "c-numeric", "reset", "", true },
        { "c-numeric", "503", "", false },
        { "c-codes-only", "503", "", false },
        { "c-headers", "header", "x-envoy-retriable-header-names=x-other,x-retry-me", true },
        { "c-headers", "header", "", false },
        { "c-headers", "503", "x-envoy-retriable-header-names=x-retry-me", false },
        { "c-cancelled", "grpc-1", "", true },
        { "c-cancelled", "grpc-14", "", false },
        { "c-deadline", "grpc-4", "", true },
        { "c-deadline", "grpc-1", "", false },
        { "c-internal", "grpc-13", "", true },
        { "c-internal", "500", "", false },
        { "c-exhausted", "grpc-8", "", true },
        { "c-exhausted", "grpc-14", "", false },
        { "c-unavailable", "grpc-14", "", true },
        { "c-unavailable", "grpc-2", "", false },
        { "c-off", "503", "", false },
        { "c-off", "reset", "", false },
        { "c-default", "503", "", true },
        { "c-default", "grpc-14", "", true },
        { "c-default", "grpc-1", "", true },
        { "c-default", "500", "", false },
        { "c-default", "grpc-4", "", false },
        { "c-default", "reset", "", false },
    };

    [Fact]
    public async Task RetryOn_EachCondition_RetriesExactlyWhenItHolds()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u1");
        await mesh.ApplyAsync(Host, [upstream.Port], VirtualService(), "conditionsfallback");

        var wrong = new List<string>();
        var index = 0;
        foreach (var row in Cases)
        {
            var (route, fail, header, retries) = ((string)row[0], (string)row[1], (string)row[2], (bool)row[3]);
            var testCase = string.Create(CultureInfo.InvariantCulture, $"{route}-{fail}-{index++}");
            var headers = new List<(string, string)> { ("x-case", testCase), ("x-fail", fail) };
            if (header.Length > 0)
            {
                var parts = header.Split('=', 2);
                headers.Add((parts[0], parts[1]));
            }

            using var response = await mesh.SendAsync(Host, "/" + route, null, [.. headers]);
            var arrivals = upstream.Arrivals(testCase);
            var expected = retries ? 2 : 1;
            var succeeded = response.StatusCode == HttpStatusCode.OK && RetryTestMesh.Header(response, "x-arrival") == "2";
            if (arrivals != expected || succeeded != retries)
            {
                wrong.Add($"{route} on {fail} {header}: {arrivals} arrivals (expected {expected}), status {(int)response.StatusCode} {RetryTestMesh.Header(response, "x-mesh-reason")}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task RetryOn_AlwaysFailing_TriesAttemptsPlusOneAndRelaysTheLastResponse()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u1");
        await mesh.ApplyAsync(Host, [upstream.Port], VirtualService(), "conditionsfallback");

        using var response = await mesh.SendAsync(Host, "/c-5xx", null, ("x-case", "always"), ("x-fail", "503"), ("x-fail-times", "100"));

        Assert.Equal(3, upstream.Arrivals("always"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed on command", await response.Content.ReadAsStringAsync());
        Assert.Equal("3", RetryTestMesh.Header(response, "x-mesh-attempts"));
        Assert.Equal("", RetryTestMesh.Header(response, "x-mesh-reason"));
    }

    [Fact]
    public async Task Retry_RequestWithoutRequestId_EveryTryCarriesTheSameGeneratedId()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("u1");
        await mesh.ApplyAsync(Host, [upstream.Port], VirtualService(), "conditionsfallback");

        using var response = await mesh.SendAsync(Host, "/c-5xx", null, ("x-case", "ids"), ("x-fail", "503"), ("x-fail-times", "2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = upstream.RequestIds("ids");
        Assert.Equal(3, ids.Count);
        Assert.True(Guid.TryParse(ids[0], out _), ids[0]);
        Assert.All(ids, id => Assert.Equal(ids[0], id));
    }

    private static string VirtualService()
    {
        var http = new StringBuilder();
        foreach (var (route, retries) in Routes)
        {
            http.Append(CultureInfo.InvariantCulture, $"  - name: {route}\n    match:\n    - uri: {{ prefix: /{route} }}\n");
            if (retries.Length > 0)
            {
                http.Append(CultureInfo.InvariantCulture, $"    retries: {retries}\n");
            }

            http.Append(CultureInfo.InvariantCulture, $"    route:\n    - destination: {{ host: {Host} }}\n");
        }

        return $"""
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: flaky
            spec:
              hosts: [{Host}]
              http:

            """ + http + $$"""
              - name: conditionsfallback
                route:
                - destination: { host: {{Host}} }

            """;
    }
}
