using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Mesh;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// Distributed tracing on every hop through this sidecar: <see cref="Begin"/> reads the incoming trace context,
/// decides sampling (the caller's decision when it made one, else the side's <see cref="TracingPolicy"/>), makes this
/// sidecar's span the parent in the request's W3C and B3 headers and gives the request an <c>x-request-id</c> when it
/// has none; <see cref="ObserveAsync"/> ends the span with Envoy's tags once the request completed. Only sampled,
/// reported requests with an export endpoint create a span; the others only rewrite their headers.
/// </summary>
internal sealed partial class SidecarTracer
{
    private readonly ConditionalWeakTable<ProxySnapshot, Policies> _resolved = [];
    private readonly SpanTags _local;
    private readonly ProxyConfig _config;
    private readonly SpanExport _export;

    /// <summary>Traces through <paramref name="export"/>; each applied config releases the collectors it no longer names.</summary>
    public SidecarTracer(ProxyConfig config, SpanExport export, SidecarOptions options)
    {
        _config = config;
        _export = export;
        _local = SpanTags.For(config.Identity, options);
        config.Applied += Retain;
    }

    /// <summary>
    /// Prepares the request on <paramref name="context"/> for the next hop (the app on the inbound side, the peer
    /// sidecar on the outbound side) and starts its span when it is sampled and reported.
    /// </summary>
    /// <returns>The span to end in <see cref="ObserveAsync"/>; null when none is recorded.</returns>
    public Activity? Begin(HttpContext context, bool outbound)
    {
        var headers = context.Request.Headers;
        var incoming = TraceHeaders.Read(headers);
        if (!headers.TryGetValue(RequestHeaderOps.RequestIdHeader, out var requestId) || requestId.Count == 0 || string.IsNullOrEmpty(requestId[0]))
        {
            headers[RequestHeaderOps.RequestIdHeader] = Guid.NewGuid().ToString();
        }

        var policy = PolicyFor(outbound);
        var sampled = incoming.Sampled ?? policy.Sample();
        Activity? span = null;
        if (sampled && policy.ReportSpans && _export.SourceFor(policy.Target) is { } source)
        {
            span = StartSpan(source, incoming, outbound);
            if (span is null)
            {
                _export.Release(source);
            }
            else
            {
                context.Features.Set(new RequestSpan(span, _config.Current?.Snapshot));
            }
        }

        var trace = span?.TraceId ?? (incoming.HasTrace ? incoming.TraceId : ActivityTraceId.CreateRandom());
        TraceHeaders.Write(headers, incoming, trace, span?.SpanId ?? ActivitySpanId.CreateRandom(), sampled);
        return span;
    }

    /// <summary>Ends <paramref name="span"/> (when there is one) once <paramref name="handling"/> completed.</summary>
    public Task ObserveAsync(HttpContext context, Activity? span, bool outbound, Task handling)
    {
        if (span is null)
        {
            return handling;
        }

        if (handling.IsCompletedSuccessfully)
        {
            End(context, span, outbound, threw: false);
            return handling;
        }

        return ObserveSlowAsync(context, span, outbound, handling);
    }

    private async Task ObserveSlowAsync(HttpContext context, Activity span, bool outbound, Task handling)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch
        {
            End(context, span, outbound, threw: true);
            throw;
        }

        End(context, span, outbound, threw: false);
    }

    private static Activity? StartSpan(ActivitySource source, in TraceParent incoming, bool outbound)
    {
        var parent = incoming.HasTrace ? new ActivityContext(incoming.TraceId, incoming.SpanId, ActivityTraceFlags.Recorded, incoming.TraceState, isRemote: true) : default;
        // The span must not become the ambient Activity.Current of the request, nor take an ambient one as parent:
        // its parent is only what the request's headers said.
        var previous = Activity.Current;
        Activity.Current = null;
        var span = source.CreateActivity(outbound ? "egress" : "ingress", outbound ? ActivityKind.Client : ActivityKind.Server, parent);
        span?.Start();
        Activity.Current = previous;
        return span;
    }

    private void End(HttpContext context, Activity span, bool outbound, bool threw)
    {
        var request = context.Request;
        var response = context.Response;
        var aborted = context.RequestAborted.IsCancellationRequested && !response.HasStarted;
        var code = aborted ? 0 : threw && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        var flags = aborted ? MeshReasons.DownstreamDisconnect
            : Metrics.ResponseFlags.Of(response.Headers.TryGetValue(Forwarding.ForwardErrorWriter.ReasonHeader, out var reason) ? reason.ToString() : null);
        var cluster = outbound ? Metrics.RequestMetrics.UpstreamClusterOf(context) : null;
        var upstream = outbound
            ? cluster is { } key ? string.Create(CultureInfo.InvariantCulture, $"outbound|{key.Port}|{key.Subset}|{key.Host}") : "-"
            : _local.InboundCluster;
        // Envoy names a span after the route's decorator, which Istio sets to host:port/*.
        span.DisplayName = outbound
            ? cluster is { } target ? string.Create(CultureInfo.InvariantCulture, $"{target.Host}:{target.Port}/*") : $"{request.Host.Value}/*"
            : _local.InboundName;
        _local.Apply(span);
        span.SetTag("guid:x-request-id", request.Headers[RequestHeaderOps.RequestIdHeader].ToString());
        span.SetTag("http.url", string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value));
        span.SetTag("http.method", request.Method);
        span.SetTag("http.protocol", request.Protocol);
        span.SetTag("http.status_code", code.ToString(CultureInfo.InvariantCulture));
        span.SetTag("response_flags", flags);
        // The request metrics tagged the sizes as they crossed the wire; the declared lengths only if they did not run.
        if (context.Features.Get<RequestSpan>() is not { HasSizes: true })
        {
            span.SetTag("request_size", (request.ContentLength ?? 0).ToString(CultureInfo.InvariantCulture));
            span.SetTag("response_size", (response.ContentLength ?? 0).ToString(CultureInfo.InvariantCulture));
        }

        span.SetTag("upstream_cluster", upstream);
        span.SetTag("upstream_cluster.name", upstream);
        span.SetTag("downstream_cluster", request.Headers.TryGetValue("x-envoy-downstream-service-cluster", out var downstream) ? downstream.ToString() : "-");
        span.SetTag("user_agent", request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : "-");
        span.SetTag("peer.address", context.Connection.RemoteIpAddress?.ToString());
        var policy = PolicyFor(outbound);
        foreach (var tag in policy.LiteralTags)
        {
            span.SetTag(tag.Name, tag.Value);
        }

        foreach (var tag in policy.HeaderTags)
        {
            var value = request.Headers.TryGetValue(tag.Header, out var header) && header.Count > 0 ? header.ToString() : tag.DefaultValue;
            if (value is not null)
            {
                span.SetTag(tag.Name, value);
            }
        }

        if (code is 0 or >= 500)
        {
            span.SetTag("error", "true");
            span.SetStatus(ActivityStatusCode.Error);
        }

        span.Stop();
        _export.Release(span.Source);
        var requestSpan = context.Features.Get<RequestSpan>();
        context.Features.Set<RequestSpan>(null);
        // Config changed while this span was open: an exporter it re-created for the old config must not stay open.
        if (requestSpan is not null && _config.Current is { } now && !ReferenceEquals(now.Snapshot, requestSpan.Snapshot))
        {
            Retain(now);
        }
    }

    private void Retain(ProxyState state)
    {
        var policies = Resolve(state.Snapshot);
        _export.Retain([.. new[] { policies.Client.Target, policies.Server.Target }.OfType<OtlpTarget>()]);
    }

    private TracingPolicy PolicyFor(bool outbound)
    {
        if (_config.Current?.Snapshot is not { } snapshot)
        {
            return TracingPolicy.Default;
        }

        // TryGetValue first: the GetValue factory would allocate a closure on every request.
        if (!_resolved.TryGetValue(snapshot, out var policies))
        {
            policies = _resolved.GetValue(snapshot, Resolve);
        }

        return outbound ? policies.Client : policies.Server;
    }

    private Policies Resolve(ProxySnapshot snapshot)
    {
        var identity = _config.Identity;
        return new Policies(
            TracingPolicy.Resolve(snapshot.Resources, identity.Namespace, identity.Labels, client: true, Environment.GetEnvironmentVariable),
            TracingPolicy.Resolve(snapshot.Resources, identity.Namespace, identity.Labels, client: false, Environment.GetEnvironmentVariable));
    }

    private sealed record Policies(TracingPolicy Client, TracingPolicy Server);
}
