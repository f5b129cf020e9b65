using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// App → mesh: reads the request's target once, routes it with the current route table (one lock-free read,
/// so a config swap mid-request cannot change its route), picks an endpoint and forwards to that endpoint's
/// sidecar. Every response the mesh generates itself carries <c>x-mesh-reason</c> and says why.
/// </summary>
internal sealed partial class OutboundProxy(ProxyConfig config, IHttpForwarder forwarder, SidecarOptions options, ILogger<OutboundProxy> logger, TlsOrigination? tls = null, RequestMetrics? metrics = null)
{
    public async Task HandleAsync(HttpContext context)
    {
        var state = config.Current;
        if (state is null)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoConfig, "no configuration yet: the sidecar has not reached the control plane", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (RequestTarget.Read(context, options.PathNormalization, out var problem) is not { } target)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status400BadRequest, MeshReasons.BadRequest, problem!, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var headers = context.Request.Headers;
        var view = new RequestView(
            context.Request.Method,
            context.Request.Scheme,
            target.Authority,
            target.Path,
            target.Query,
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null,
            context.Connection.RemoteIpAddress?.ToString() ?? "");

        switch (state.Routes.Route(view))
        {
            case NoRoute noRoute:
                await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status404NotFound, MeshReasons.NoRoute, noRoute.Reason, context.RequestAborted).ConfigureAwait(false);
                break;
            case Redirect redirect:
                context.Response.StatusCode = redirect.Status;
                context.Response.Headers.Location = redirect.Location;
                break;
            case DirectResponse direct:
                context.Response.StatusCode = direct.Status;
                if (direct.Body is { } body)
                {
                    await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                }

                break;
            case Forward forward:
                await ForwardAsync(context, state, view, forward).ConfigureAwait(false);
                break;
        }
    }

    private Task ForwardAsync(HttpContext context, ProxyState state, RequestView view, Forward forward)
    {
        var actions = forward.Actions;
        IReadOnlyList<KeyValuePair<string, string>> corsHeaders = [];
        if (actions.Cors is { } cors)
        {
            var verdict = cors.Evaluate(view);
            if (verdict.Outcome == CorsOutcome.AnswerPreflight)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                foreach (var (name, value) in verdict.ResponseHeaders)
                {
                    context.Response.Headers[name] = value;
                }

                return Task.CompletedTask;
            }

            corsHeaders = verdict.ResponseHeaders;
        }

        // Fault injection sits after routing and before the endpoint is picked, as Envoy's fault filter before its router.
        if (actions.FaultPolicy is { } fault)
        {
            var faulted = FaultInjection.ApplyAsync(context, fault, forward.Target.Cluster, logger);
            if (!faulted.IsCompletedSuccessfully)
            {
                return SendAfterFaultAsync(faulted, context, state, view, forward, corsHeaders);
            }

            if (faulted.Result)
            {
                return Task.CompletedTask;
            }
        }

        return SendAsync(context, state, view, forward, corsHeaders);
    }

    private async Task SendAfterFaultAsync(
        ValueTask<bool> faulted, HttpContext context, ProxyState state, RequestView view, Forward forward, IReadOnlyList<KeyValuePair<string, string>> corsHeaders)
    {
        if (!await faulted.ConfigureAwait(false))
        {
            await SendAsync(context, state, view, forward, corsHeaders).ConfigureAwait(false);
        }
    }

    private Task SendAsync(HttpContext context, ProxyState state, RequestView view, Forward forward, IReadOnlyList<KeyValuePair<string, string>> corsHeaders)
    {
        var actions = forward.Actions;
        var cluster = state.Routes.GetCluster(forward.Target.Cluster);
        var balancer = cluster.Balancer;
        var picked = balancer.Pick(view);
        metrics?.NoteUpstream(context, state, cluster, picked); // Istio metrics' destination labels (issue 6)
        if (picked is not { } endpoint)
        {
            return ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, cluster.NoEndpointReason(), context.RequestAborted);
        }

        var callerHttp2 = HttpProtocol.IsHttp2(context.Request.Protocol) || HttpProtocol.IsHttp3(context.Request.Protocol);
        // h2UpgradePolicy UPGRADE applies to HTTP/1.x callers, not to WebSocket upgrades (those stay HTTP/1.1).
        var upgradeToHttp2 = !callerHttp2 && cluster.Resilience?.UpgradeToHttp2 == true && !HopByHopHeaders.IsWebSocketUpgrade(context.Request.Headers.Upgrade);

        var cookie = balancer.CookieToIssue(view);
        var pathAndQuery = RequestTarget.PathAndQuery(actions.RewritePath(view), view.Query);
        foreach (var mirror in actions.Mirrors)
        {
            if (mirror.ShouldMirror())
            {
                MirrorSender.Send(context, state, mirror.Cluster, view, pathAndQuery, tls, logger); // mTLS for mirrors too (issue 5)
            }
        }

        // Circuit breaking: admitted or answered 503 UO at once, never queued (retries are admitted one by one in the loop).
        var http2Upstream = callerHttp2 || upgradeToHttp2;
        var admission = default(CircuitBreakerLease);
        if (cluster.Resilience is { } resilience && !resilience.TryEnterRequest(endpoint, http2Upstream, out admission, out var overflow))
        {
            LogOverflow(logger, cluster.Key, overflow);
            return ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.Overflow, overflow, context.RequestAborted);
        }

        var routeTimeout = actions.RouteTimeout;
        var attempts = new AttemptContext(context, actions, corsHeaders, cookie, cluster.Resilience, upgradeToHttp2)
        {
            PeerMetadata = endpoint.ProxyId.Length > 0 ? metrics?.LocalMetadata : null, // metadata exchange, to sidecars only (issue 6)
        };
        var request = new ForwardRequest
        {
            Destination = Destination(endpoint),
            PathAndQuery = pathAndQuery,
            Authority = actions.AuthorityRewrite ?? view.Authority,
            Timeout = actions.RetryPolicy.FirstTryTimeout(routeTimeout),
            Client = admission.Client,
            // mTLS (issue 5): auto mTLS towards sidecars, or DestinationRule tls; null is plaintext.
            Tls = tls?.For(state, cluster, endpoint),
            // h2UpgradePolicy UPGRADE: HTTP/1.1 callers go upstream as h2c (the peer sidecar speaks it with prior knowledge).
            Version = upgradeToHttp2 ? HttpVersion.Version20 : null,
            RetryCheck = attempts.RetryCheck,
            RequestHeaders = attempts.EditRequestHeaders,
            ResponseHeaders = attempts.EditResponseHeaders,
        };

        return AttemptLoop.RunAsync(context, forwarder, cluster, view, endpoint, admission, http2Upstream, request, attempts, routeTimeout, logger);
    }

    // Parsing a Uri per request is measurable on the hot path; endpoints are immutable per snapshot, so the
    // address is parsed once per endpoint object and dropped with the snapshot.
    private static readonly ConditionalWeakTable<MeshEndpoint, Uri> Destinations = [];

    internal static Uri Destination(MeshEndpoint endpoint) =>
        // Endpoints synthesized per request (passthrough) are not cached: they would only churn the table.
        endpoint.ProxyId.Length == 0 ? CreateDestination(endpoint) : Destinations.GetValue(endpoint, CreateDestination);

    private static Uri CreateDestination(MeshEndpoint endpoint)
    {
        var builder = new UriBuilder(Uri.UriSchemeHttp, endpoint.Address, endpoint.Port);
        return builder.Uri;
    }

    /// <summary>A cluster as sentences name it: <c>host:port</c>, plus the subset if any.</summary>
    internal static string Describe(ClusterKey key) => key.Subset is null ? $"{key.Host}:{key.Port}" : $"{key.Host}:{key.Port} subset {key.Subset}";

    /// <summary>The Set-Cookie value for an affinity cookie.</summary>
    internal static string FormatCookie(LoadBalancing.AffinityCookie cookie)
    {
        var text = $"{cookie.Name}={cookie.Value}; Path={(string.IsNullOrEmpty(cookie.Path) ? "/" : cookie.Path)}";
        return cookie.Ttl > TimeSpan.Zero
            ? text + string.Create(CultureInfo.InvariantCulture, $"; Max-Age={(long)cookie.Ttl.TotalSeconds}; HttpOnly")
            : text + "; HttpOnly";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "503 UO {Cluster}: {Overflow}")]
    private static partial void LogOverflow(ILogger logger, ClusterKey cluster, string overflow);
}
