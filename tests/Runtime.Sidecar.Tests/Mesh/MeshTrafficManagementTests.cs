using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// Istio traffic management end to end: a client sidecar routes by VirtualService and DestinationRule, across
/// server sidecars, to real app servers that say who they are. Every request goes to the client sidecar's
/// outbound listener with <c>Host: reviews</c>, as an app in the mesh would send it.
/// </summary>
public sealed class MeshTrafficManagementTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    private const string VersionSubsets = """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews-versions
        spec:
          host: reviews
          subsets:
          - name: v1
            labels: { version: v1 }
          - name: v2
            labels: { version: v2 }
          - name: v3
            labels: { version: v3 }
          - name: v9
            labels: { version: v9 }
        """;

    private const string MatchTable = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - name: uri-exact
            match:
            - uri: { exact: /exact }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: uri-prefix-ignore-case
            match:
            - uri: { prefix: /Pre }
              ignoreUriCase: true
            route:
            - destination: { host: reviews, subset: v3 }
          - name: uri-regex
            match:
            - uri: { regex: "/items/[0-9]+" }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: method
            match:
            - method: { exact: DELETE }
            route:
            - destination: { host: reviews, subset: v3 }
          - name: header-exact
            match:
            - headers:
                x-user: { exact: jason }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: header-prefix
            match:
            - headers:
                x-user: { prefix: beta- }
            route:
            - destination: { host: reviews, subset: v3 }
          - name: header-regex
            match:
            - headers:
                x-tier: { regex: "gold|platinum" }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: without-headers
            match:
            - uri: { prefix: /quiet }
              withoutHeaders:
                x-debug: {}
            route:
            - destination: { host: reviews, subset: v3 }
          - name: query-params
            match:
            - queryParams:
                flavor: { exact: spicy }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: authority
            match:
            - authority: { exact: reviews.default.svc.cluster.local }
            route:
            - destination: { host: reviews, subset: v3 }
          - name: anded-conditions
            match:
            - uri: { prefix: /both }
              headers:
                x-both: { exact: "yes" }
            route:
            - destination: { host: reviews, subset: v2 }
          - name: ored-entries
            match:
            - uri: { prefix: /or-a }
            - uri: { prefix: /or-b }
            route:
            - destination: { host: reviews, subset: v3 }
          - name: matchtablefallback
            route:
            - destination: { host: reviews, subset: v1 }
        """;

    /// <summary>Method, path, Host, headers ("name=value;name=value" or empty), and the version that must serve it.</summary>
    private static readonly (string Method, string Path, string Host, string Headers, string Expected)[] MatchCases =
    [
        ("GET", "/exact", "reviews", "", "v2"),
        ("GET", "/exact/more", "reviews", "", "v1"),
        ("GET", "/prefix/x", "reviews", "", "v3"),
        ("GET", "/PREFIX", "reviews", "", "v3"),
        ("GET", "/pr", "reviews", "", "v1"),
        ("GET", "/items/42", "reviews", "", "v2"),
        ("GET", "/items/abc", "reviews", "", "v1"),
        ("GET", "/items/42/reviews", "reviews", "", "v1"),
        ("DELETE", "/anything", "reviews", "", "v3"),
        ("GET", "/anything", "reviews", "", "v1"),
        ("DELETE", "/exact", "reviews", "", "v2"),
        ("DELETE", "/items/7", "reviews", "", "v2"),
        ("GET", "/", "reviews", "x-user=jason", "v2"),
        ("GET", "/", "reviews", "x-user=Jason", "v1"),
        ("GET", "/", "reviews", "x-user=beta-tester", "v3"),
        ("DELETE", "/", "reviews", "x-user=jason", "v3"),
        ("GET", "/", "reviews", "x-tier=gold", "v2"),
        ("GET", "/", "reviews", "x-tier=platinum", "v2"),
        ("GET", "/", "reviews", "x-tier=golden", "v1"),
        ("GET", "/quiet", "reviews", "", "v3"),
        ("GET", "/quiet", "reviews", "x-debug=1", "v1"),
        ("GET", "/menu?flavor=spicy", "reviews", "", "v2"),
        ("GET", "/menu?size=l&flavor=spicy", "reviews", "", "v2"),
        ("GET", "/menu?flavor=mild", "reviews", "", "v1"),
        ("GET", "/", ReviewsFqdn, "", "v3"),
        ("GET", "/exact", ReviewsFqdn, "", "v2"),
        ("GET", "/both", "reviews", "x-both=yes", "v2"),
        ("GET", "/both", "reviews", "", "v1"),
        ("GET", "/", "reviews", "x-both=yes", "v1"),
        ("GET", "/or-a", "reviews", "", "v3"),
        ("GET", "/or-b/deeper", "reviews", "", "v3"),
        ("GET", "/or-c", "reviews", "", "v1"),
    ];

    [Fact]
    public async Task Route_EveryMatchKind_ServedByTheFirstMatchingRulesSubset()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartVersionsAsync(mesh, "v1", "v2", "v3");
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + MatchTable);
        await MeshHarness.WaitForConfigAsync(client, "matchtablefallback");
        await MeshHarness.WaitForConfigAsync(client, "reviews-versions");
        using var http = NewClient();

        var wrong = new List<string>();
        foreach (var (method, path, host, headers, expected) in MatchCases)
        {
            using var response = await SendAsync(http, client.OutboundAddress, host, path, method, ParseHeaders(headers));
            var body = await response.Content.ReadAsStringAsync();
            var served = body.Split(' ')[0];
            if (response.StatusCode != HttpStatusCode.OK || served != expected)
            {
                wrong.Add($"{method} {host}{path} [{headers}]: expected {expected}, got {(int)response.StatusCode} '{body}'");
            }
        }

        // All rows are checked before failing so one run shows every mismatching match kind.
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task Route_UriAndAuthorityRewrite_AppSeesRewrittenPathAndHost()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartVersionsAsync(mesh, "v1");
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri: { prefix: /api/v1/ }
                rewrite: { uri: /v2/ }
                route:
                - destination: { host: reviews, subset: v1 }
              - match:
                - uri: { exact: /old-home }
                rewrite: { uri: /home }
                route:
                - destination: { host: reviews, subset: v1 }
              - match:
                - uri: { prefix: /legacy }
                rewrite: { authority: reviews.internal }
                route:
                - destination: { host: reviews, subset: v1 }
              - name: rewritefallback
                route:
                - destination: { host: reviews, subset: v1 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "rewritefallback");
        using var http = NewClient();

        using var prefix = await SendAsync(http, client.OutboundAddress, "reviews", "/api/v1/items?x=1");
        using var exact = await SendAsync(http, client.OutboundAddress, "reviews", "/old-home");
        using var authority = await SendAsync(http, client.OutboundAddress, "reviews", "/legacy/page");
        using var untouched = await SendAsync(http, client.OutboundAddress, "reviews", "/api/v10/items");

        Assert.Equal("v1 /v2/items?x=1", await prefix.Content.ReadAsStringAsync());
        Assert.Equal("reviews", prefix.Headers.GetValues("x-seen-host").Single());
        Assert.Equal("v1 /home", await exact.Content.ReadAsStringAsync());
        Assert.Equal("v1 /legacy/page", await authority.Content.ReadAsStringAsync());
        Assert.Equal("reviews.internal", authority.Headers.GetValues("x-seen-host").Single());
        Assert.Equal("v1 /api/v10/items", await untouched.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Route_Redirect_AnswersStatusAndLocationWithoutReachingTheApp()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartVersionsAsync(mesh, "v1");
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri: { exact: /old }
                redirect: { uri: /new, redirectCode: 302 }
              - match:
                - uri: { prefix: /gone }
                redirect: { uri: /moved, authority: new.example }
              - name: redirectfallback
                route:
                - destination: { host: reviews, subset: v1 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "redirectfallback");
        using var http = NewClient();

        using var found = await SendAsync(http, client.OutboundAddress, "reviews", "/old");
        using var moved = await SendAsync(http, client.OutboundAddress, "reviews", "/gone/for/good?q=1");
        using var normal = await SendAsync(http, client.OutboundAddress, "reviews", "/new");

        Assert.Equal(HttpStatusCode.Found, found.StatusCode);
        Assert.Equal("http://reviews/new", found.Headers.Location?.OriginalString);
        Assert.False(found.Headers.Contains("x-seen-host"), "a redirect is answered by the client sidecar, not the app");

        // Istio: redirect.uri replaces the whole path; redirectCode defaults to 301; the query is kept (Envoy path_redirect).
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("http://new.example/moved?q=1", moved.Headers.Location?.OriginalString);
        Assert.Equal("v1 /new", await normal.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Route_HeaderOperations_AppSeesEditedRequestAndClientSeesEditedResponse()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var echo = await TestServer.StartAsync(async context =>
        {
            foreach (var (name, values) in context.Request.Headers)
            {
                context.Response.Headers["x-echo-" + name.ToLowerInvariant()] = values.ToString();
            }

            context.Response.Headers["x-app-secret"] = "hidden";
            context.Response.Headers["x-resp-set"] = "from-app";
            await context.Response.WriteAsync($"echo {context.Request.Path}");
        });
        await mesh.StartSidecarAsync("reviews", echo, labels: ["app=reviews", "version=v1"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - name: headeropsroute
                headers:
                  request:
                    set: { x-req-set: forced }
                    add: { x-req-add: added }
                    remove: [x-req-remove]
                  response:
                    set: { x-resp-set: forced }
                    remove: [x-app-secret]
                route:
                - destination: { host: reviews, subset: v1 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "headeropsroute");
        using var http = NewClient();

        using var response = await SendAsync(http, client.OutboundAddress, "reviews", "/h", "GET", [("x-req-set", "original"), ("x-req-add", "mine"), ("x-req-remove", "drop-me"), ("x-req-keep", "kept")]);

        Assert.Equal("echo /h", await response.Content.ReadAsStringAsync());
        Assert.Equal("forced", Header(response, "x-echo-x-req-set"));
        Assert.Equal(["added", "mine"], Header(response, "x-echo-x-req-add")!.Split(',').Select(v => v.Trim()).Order());
        Assert.Null(Header(response, "x-echo-x-req-remove"));
        Assert.Equal("kept", Header(response, "x-echo-x-req-keep"));
        Assert.Equal("forced", Header(response, "x-resp-set"));
        Assert.Null(Header(response, "x-app-secret"));
    }

    [Fact]
    public async Task Route_MirrorToSubset_MirrorGetsShadowCopiesAndClientGetsPrimaryAnswer()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var primary = await mesh.StartAppAsync("v1");
        var seenByMirror = new ConcurrentQueue<(string Host, string Path)>();
        await using var mirror = await TestServer.StartAsync(async context =>
        {
            seenByMirror.Enqueue((context.Request.Host.Value ?? "", context.Request.Path.Value ?? ""));
            await context.Response.WriteAsync("mirror");
        });
        await mesh.StartSidecarAsync("reviews", primary, labels: ["app=reviews", "version=v1"]);
        await mesh.StartSidecarAsync("reviews", mirror, labels: ["app=reviews", "version=v2"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 2);
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - name: mirroredroute
                route:
                - destination: { host: reviews, subset: v1 }
                mirror: { host: reviews, subset: v2 }
                mirrorPercentage: { value: 100.0 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "mirroredroute");
        using var http = NewClient();

        const int Requests = 20;
        var answers = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await SendAsync(http, client.OutboundAddress, "reviews", $"/mirrored/{i}");
            answers.Add(await response.Content.ReadAsStringAsync() + " host=" + Header(response, "x-seen-host"));
        }

        // Copies are fire-and-forget, so they may trail the primary answers.
        await Eventually.Async($"{Requests} mirrored copies (have {seenByMirror.Count})", () => Task.FromResult(seenByMirror.Count >= Requests));

        Assert.Equal(Enumerable.Range(0, Requests).Select(i => $"v1 /mirrored/{i} host=reviews"), answers);
        Assert.Equal(Requests, seenByMirror.Count);
        Assert.All(seenByMirror, copy => Assert.Equal("reviews-shadow", copy.Host));
        Assert.Equal(Enumerable.Range(0, Requests).Select(i => $"/mirrored/{i}").Order(), seenByMirror.Select(c => c.Path).Order());
    }

    [Fact]
    public async Task Balance_RoundRobinOverThreeEndpoints_RotatesEvenly()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartEndpointsAsync(mesh, 3);
        await mesh.ApplyAsync(Policy("lbroundrobin", "simple: ROUND_ROBIN"));
        await MeshHarness.WaitForConfigAsync(client, "lbroundrobin");
        using var http = NewClient();

        var served = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            served.Add(await ServedByAsync(http, client.OutboundAddress, "/"));
        }

        var counts = served.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var repeats = served.Zip(served.Skip(1)).Count(p => p.First == p.Second);

        // Round robin is deterministic: exactly 100 each and never the same endpoint twice in a row. The slack (±3,
        // ≤3 repeats) only absorbs a route-table rebuild mid-run restarting the rotation. A random or least-request
        // pick would repeat the previous endpoint about 1 time in 3 (~100 of 299 pairs), so it cannot pass.
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 97, 103));
        Assert.InRange(repeats, 0, 3);
    }

    [Fact]
    public async Task Balance_ConsistentHashOnHeader_SameValueSticksAndValuesSpread()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartEndpointsAsync(mesh, 3);
        await mesh.ApplyAsync(Policy("lbheaderhash", "consistentHash: { httpHeaderName: x-session }"));
        await MeshHarness.WaitForConfigAsync(client, "lbheaderhash");
        using var http = NewClient();

        var sticky = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            sticky.Add(await ServedByAsync(http, client.OutboundAddress, "/", ("x-session", "alice")));
        }

        var spread = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            spread.Add(await ServedByAsync(http, client.OutboundAddress, "/", ("x-session", $"user-{i}")));
        }

        Assert.Single(sticky.Distinct());

        // 20 distinct keys all hashing to one of three endpoints has probability about 3 × (1/3)^20 ≈ 1e-9.
        Assert.True(spread.Count > 1, $"20 different x-session values all went to {string.Join(",", spread)}");
    }

    [Fact]
    public async Task Balance_ConsistentHashOnCookieWithTtl_IssuesCookieThatSticks()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartEndpointsAsync(mesh, 3);
        await mesh.ApplyAsync(Policy("lbcookiehash", "consistentHash: { httpCookie: { name: mesh-affinity, path: /, ttl: 60s } }"));
        await MeshHarness.WaitForConfigAsync(client, "lbcookiehash");
        using var http = NewClient();

        using var first = await SendAsync(http, client.OutboundAddress, "reviews", "/");
        var firstServer = (await first.Content.ReadAsStringAsync()).Split(' ')[0];
        var setCookie = first.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single() : null;
        Assert.NotNull(setCookie);
        Assert.StartsWith("mesh-affinity=", setCookie, StringComparison.Ordinal);
        Assert.Contains("Max-Age=60", setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];

        var withCookie = new List<(string Server, bool Reissued)>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await SendAsync(http, client.OutboundAddress, "reviews", "/", "GET", [("Cookie", cookie)]);
            withCookie.Add(((await response.Content.ReadAsStringAsync()).Split(' ')[0], response.Headers.Contains("Set-Cookie")));
        }

        // Every request here comes from the same address, so stickiness alone would also hold for a source-ip
        // hash; different cookie values landing on different endpoints shows the cookie itself is hashed
        // (20 values all on one of three endpoints: probability ≈ 1e-9).
        var spread = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            spread.Add(await ServedByAsync(http, client.OutboundAddress, "/", ("Cookie", $"mesh-affinity=user-{i}")));
        }

        Assert.All(withCookie, r => Assert.Equal((firstServer, false), r));
        Assert.True(spread.Count > 1, $"20 different cookie values all went to {string.Join(",", spread)}");
    }

    [Fact]
    public async Task Balance_LeastRequestWithOneEndpointBusy_SendsNewRequestsToIdleEndpoints()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busyArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var busy = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/hold")
            {
                busyArrived.TrySetResult();
                await gate.Task.WaitAsync(TestTimeouts.Default);
            }

            await context.Response.WriteAsync($"busy {context.Request.Path}");
        });
        await mesh.StartSidecarAsync("reviews", busy, labels: ["app=reviews", "version=v1"]);
        foreach (var name in new[] { "idle-a", "idle-b" })
        {
            await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync(name), labels: ["app=reviews", "version=v1"]);
        }

        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 3);
        await mesh.ApplyAsync(Policy("lbleastrequest", "simple: LEAST_REQUEST"));
        await MeshHarness.WaitForConfigAsync(client, "lbleastrequest");
        using var http = NewClient();

        // Send /hold until one lands on the busy endpoint (the idle apps answer /hold at once); each pick is 1 in 3
        // while all are idle, so 200 tries miss with probability (2/3)^200.
        Task<HttpResponseMessage>? held = null;
        for (var i = 0; i < 200 && held is null; i++)
        {
            var attempt = SendAsync(http, client.OutboundAddress, "reviews", "/hold");
            await Task.WhenAny(attempt, busyArrived.Task).WaitAsync(TestTimeouts.Default);
            if (busyArrived.Task.IsCompleted)
            {
                held = attempt;
            }
            else
            {
                (await attempt).Dispose();
            }
        }

        Assert.NotNull(held);
        var whileBusy = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            whileBusy.Add(await ServedByAsync(http, client.OutboundAddress, "/"));
        }

        gate.SetResult();
        using (var heldResponse = await held.WaitAsync(TestTimeouts.Default))
        {
            Assert.Equal("busy /hold", await heldResponse.Content.ReadAsStringAsync());
        }

        var afterRelease = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            afterRelease.Add(await ServedByAsync(http, client.OutboundAddress, "/"));
        }

        // Power of two distinct choices never prefers the endpoint with a request in flight over an idle one.
        Assert.DoesNotContain("busy", whileBusy);
        Assert.Equal(2, whileBusy.Distinct().Count());

        // Once idle again the busy endpoint takes about a third; none of 60 has probability (2/3)^60 ≈ 3e-11.
        Assert.Contains("busy", afterRelease);
    }

    [Fact]
    public async Task Route_NoRuleMatches_Is404NoRoute()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartVersionsAsync(mesh, "v1");
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - name: onlyknownroute
                match:
                - uri: { prefix: /known }
                route:
                - destination: { host: reviews, subset: v1 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "onlyknownroute");
        using var http = NewClient();

        using var known = await SendAsync(http, client.OutboundAddress, "reviews", "/known");
        using var unknown = await SendAsync(http, client.OutboundAddress, "reviews", "/unknown");

        Assert.Equal("v1 /known", await known.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NR", Header(unknown, "x-mesh-reason"));
        Assert.Contains("reviews", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_SubsetWithoutEndpoints_Is503NoHealthyUpstreamNamingTheSubset()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var client = await StartVersionsAsync(mesh, "v1");
        await mesh.ApplyAsync(VersionSubsets + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - name: emptysubsetroute
                match:
                - uri: { prefix: /empty }
                route:
                - destination: { host: reviews, subset: v9 }
              - route:
                - destination: { host: reviews, subset: v1 }
            """);
        await MeshHarness.WaitForConfigAsync(client, "emptysubsetroute");
        using var http = NewClient();

        using var served = await SendAsync(http, client.OutboundAddress, "reviews", "/full");
        using var empty = await SendAsync(http, client.OutboundAddress, "reviews", "/empty");

        Assert.Equal("v1 /full", await served.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.StatusCode);
        Assert.Equal("UH", Header(empty, "x-mesh-reason"));
        Assert.Contains("v9", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Policy(string name, string loadBalancer) => $$"""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: {{name}}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer:
              {{loadBalancer}}
        """;

    /// <summary>One app and sidecar per version (labelled <c>version=vN</c>), and a client sidecar that sees them all.</summary>
    private static async Task<Runtime.Sidecar.Hosting.RunningSidecar> StartVersionsAsync(MeshHarness mesh, params string[] versions)
    {
        foreach (var version in versions)
        {
            await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync(version), labels: ["app=reviews", "version=" + version]);
        }

        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, versions.Length);
        return client;
    }

    /// <summary><paramref name="count"/> interchangeable endpoints of reviews, apps named e1..eN.</summary>
    private static async Task<Runtime.Sidecar.Hosting.RunningSidecar> StartEndpointsAsync(MeshHarness mesh, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("e" + i), labels: ["app=reviews", "version=v1"]);
        }

        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, count);
        return client;
    }

    private static HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TestTimeouts.Default };

    private static (string Name, string Value)[] ParseHeaders(string headers) =>
        headers.Length == 0 ? [] : headers.Split(';').Select(h => h.Split('=', 2)).Select(p => (p[0], p[1])).ToArray();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri outbound, string host, string path, string method = "GET", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(outbound, path));
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request).WaitAsync(TestTimeouts.Default);
    }

    /// <summary>Which app served a successful request (the first word of its answer).</summary>
    private static async Task<string> ServedByAsync(HttpClient http, Uri outbound, string path, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(http, outbound, "reviews", path, "GET", headers);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {Header(response, "x-mesh-reason")}: {body}");
        return body.Split(' ')[0];
    }
}
