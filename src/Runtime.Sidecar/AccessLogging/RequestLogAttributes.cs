using System.Globalization;
using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Telemetry.Expressions;
using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// A completed HTTP request as an access-log filter sees it: a view over the request and the values the request
/// metrics computed. A struct, so evaluating a filter allocates nothing; only <c>upstream.cluster</c> of an outbound
/// request builds its string, and only when a filter reads it.
/// </summary>
internal readonly struct RequestLogAttributes(HttpContext context, bool outbound, int code, string flags, bool mtls, string? source, string? destination, string inboundCluster)
    : IAccessLogAttributes
{
    /// <inheritdoc/>
    public int ResponseCode => code;

    /// <inheritdoc/>
    public string ResponseFlags => flags;

    /// <inheritdoc/>
    public string Method => context.Request.Method;

    /// <inheritdoc/>
    public string Path => context.Request.QueryString.HasValue ? context.Request.Path.Value + context.Request.QueryString.Value : context.Request.Path.Value ?? "/";

    /// <inheritdoc/>
    public string Host => context.Request.Host.Value ?? "";

    /// <inheritdoc/>
    public string Protocol => context.Request.Protocol;

    /// <inheritdoc/>
    public bool Mtls => mtls;

    /// <inheritdoc/>
    public string SourcePrincipal => source ?? "";

    /// <inheritdoc/>
    public string DestinationPrincipal => destination ?? "";

    /// <inheritdoc/>
    public string UpstreamCluster => !outbound ? inboundCluster
        : RequestMetrics.UpstreamClusterOf(context) is { } key ? string.Create(CultureInfo.InvariantCulture, $"outbound|{key.Port}|{key.Subset}|{key.Host}")
        : "";

    /// <inheritdoc/>
    public string? RequestHeader(string name) =>
        context.Request.Headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;
}
