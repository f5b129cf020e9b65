using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// App → mesh: reads the request's target once, routes it with the current route table (one lock-free read,
/// so a config swap mid-request cannot change its route), picks an endpoint and forwards to that endpoint's
/// sidecar. Every response the mesh generates itself carries <c>x-mesh-reason</c> and says why.
/// </summary>
internal sealed partial class OutboundProxy(ProxyConfig config, IHttpForwarder forwarder, ILogger<OutboundProxy> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var state = config.Current;
        if (state is null)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoConfig, "no configuration yet: the sidecar has not reached the control plane", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (RequestTarget.Read(context.Request, out var problem) is not { } target)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status400BadRequest, MeshReasons.BadRequest, problem!, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var headers = context.Request.Headers;
        var view = new RequestView(
            context.Request.Method,
            context.Request.Scheme,
            target.Authority,
            target.Path.Value ?? "/",
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

    private async Task ForwardAsync(HttpContext context, ProxyState state, RequestView view, Forward forward)
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

                return;
            }

            corsHeaders = verdict.ResponseHeaders;
        }

        var cluster = state.Routes.GetCluster(forward.Target.Cluster);
        var balancer = cluster.Balancer;
        if (balancer.Pick(view) is not { } endpoint)
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, cluster.NoEndpointReason(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // --- connection pool: circuit-breaker admission (answered at once, never queued) ---
        var resilience = cluster.Resilience;
        var admission = default(CircuitBreakerLease);
        var callerHttp2 = HttpProtocol.IsHttp2(context.Request.Protocol) || HttpProtocol.IsHttp3(context.Request.Protocol);
        // h2UpgradePolicy UPGRADE applies to HTTP/1.x callers, not to WebSocket upgrades (those stay HTTP/1.1).
        var upgradeToHttp2 = !callerHttp2 && resilience?.UpgradeToHttp2 == true && !HopByHopHeaders.IsWebSocketUpgrade(context.Request.Headers.Upgrade);
        if (resilience is not null && !resilience.TryEnterRequest(endpoint, callerHttp2 || upgradeToHttp2, out admission, out var overflow))
        {
            await ForwardErrorWriter.TryWriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.Overflow, overflow, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var admitted = admission;
        // --- end connection pool ---

        var cookie = balancer.CookieToIssue(view);
        var pathAndQuery = RequestTarget.PathAndQuery(actions.RewritePath(view), view.Query);
        foreach (var mirror in actions.Mirrors)
        {
            if (mirror.ShouldMirror())
            {
                MirrorSender.Send(context, state, mirror.Cluster, view, pathAndQuery, logger);
            }
        }

        using var lease = balancer.Acquire(endpoint);
        var request = new ForwardRequest
        {
            Destination = Destination(endpoint),
            PathAndQuery = pathAndQuery,
            Authority = actions.AuthorityRewrite ?? view.Authority,
            Timeout = actions.Timeout?.Value,
            Client = admission.Client,
            // h2UpgradePolicy UPGRADE: HTTP/1.1 callers go upstream as h2c (the peer sidecar speaks it with prior knowledge).
            Version = upgradeToHttp2 ? HttpVersion.Version20 : null,
            RequestHeaders = editor =>
            {
                RequestHeaderOps.EnsureRequestId(editor);
                RequestHeaderOps.Apply(editor, actions.RequestHeaders);
                if (upgradeToHttp2)
                {
                    // Tells the peer sidecar to hand the request to its app as HTTP/1.1, the protocol the caller spoke.
                    editor.Set(MeshHeaders.UpgradedFromHttp1, "1");
                }
            },
            ResponseHeaders = editor =>
            {
                RequestHeaderOps.Apply(editor, actions.ResponseHeaders);
                foreach (var (name, value) in corsHeaders)
                {
                    editor.Set(name, value);
                }

                if (cookie is not null)
                {
                    editor.Add(HeaderNames.SetCookie, FormatCookie(cookie));
                }
            },
        };

        var result = await forwarder.ForwardAsync(context, request, context.RequestAborted).ConfigureAwait(false);
        resilience?.Record(endpoint, result.Outcome, result.StatusCode); // outlier detection sees every attempt
        if (!result.IsSuccess)
        {
            LogForwardFailed(logger, cluster.Key, endpoint.Address, endpoint.Port, result.Outcome, result.Detail);
            await ForwardErrorWriter.TryWriteAsync(context, result, context.RequestAborted).ConfigureAwait(false);
        }
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

    private static string FormatCookie(LoadBalancing.AffinityCookie cookie)
    {
        var text = $"{cookie.Name}={cookie.Value}; Path={(string.IsNullOrEmpty(cookie.Path) ? "/" : cookie.Path)}";
        return cookie.Ttl > TimeSpan.Zero
            ? text + string.Create(CultureInfo.InvariantCulture, $"; Max-Age={(long)cookie.Ttl.TotalSeconds}; HttpOnly")
            : text + "; HttpOnly";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forward to {Cluster} via {Address}:{Port} failed: {Outcome} {Detail}")]
    private static partial void LogForwardFailed(ILogger logger, ClusterKey cluster, string address, int port, ForwardOutcome outcome, string? detail);
}
