using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Runtime.Abstractions.CommandLine;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Admin;

/// <summary>
/// The admin port, Envoy-style: <c>/ready</c> (200 only once a config is in), <c>/config_dump</c> (the applied
/// snapshot and its version, JSON), <c>/clusters</c> (services, endpoints and their health; per cluster in use, the
/// connection-pool limits and counters and each endpoint's in-flight requests and outlier state, JSON),
/// <c>/stats/prometheus</c> (Istio's request metrics, then the sidecar's own <c>mesh_sidecar_*</c> health; Prometheus text), <c>POST /quitquitquit</c> (graceful exit, for Jobs) and <c>POST /logging?level=debug</c>.
/// </summary>
internal sealed class AdminEndpoints(ProxyConfig config, ClusterResilienceRegistry resilience, LogLevelSwitch logLevel, IHostApplicationLifetime lifetime, Func<string?> proxyId, RequestMetrics metrics, SidecarHealthMetrics health)
{
    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        return (request.Path.Value, request.Method) switch
        {
            ("/ready", "GET" or "HEAD") => ReadyAsync(context),
            ("/config_dump", "GET") => ConfigDumpAsync(context),
            ("/clusters", "GET") => ClustersAsync(context),
            ("/stats/prometheus", "GET") => PrometheusAsync(context),
            ("/quitquitquit", "POST") => QuitAsync(context),
            ("/logging", "POST" or "GET") => LoggingAsync(context),
            ("/", "GET") => Text(context, 200, "admin: /ready /config_dump /clusters /stats/prometheus POST /quitquitquit POST /logging?level=debug\n"),
            _ => Text(context, 404, $"no admin endpoint {request.Method} {request.Path}; see GET /\n"),
        };
    }

    private Task ReadyAsync(HttpContext context) =>
        config.Current is { } state
            ? Text(context, 200, $"LIVE version {state.Snapshot.Version} ({state.Source})\n")
            : Text(context, 503, "not ready: no configuration yet (waiting for the control plane)\n");

    private async Task ConfigDumpAsync(HttpContext context)
    {
        var state = config.Current;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("proxyId", proxyId());
            if (state is not null)
            {
                json.WriteString("version", state.Snapshot.Version);
                json.WriteNumber("revision", state.Snapshot.Revision);
                json.WriteString("appliedAt", state.AppliedAt);
                json.WriteString("source", state.Source);
                json.WritePropertyName("resources");
                json.WriteRawValue(ManifestWriter.ToJson(state.Snapshot.Resources));
                json.WritePropertyName("services");
                JsonSerializer.Serialize(json, state.Snapshot.Services, DumpJson.Options);
            }

            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ClustersAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var services = config.Current?.Snapshot.Services ?? [];
        var clusters = resilience.Clusters.Select(c => (c.Key.Host, State: c.Describe())).ToArray();
        var view = services.Select(s =>
        {
            var mine = clusters.Where(c => string.Equals(c.Host, s.Host, StringComparison.OrdinalIgnoreCase)).Select(c => c.State).ToArray();
            return new
            {
                host = s.Host,
                endpoints = s.Endpoints.Select(e => new
                {
                    address = $"{e.Address}:{e.Port}",
                    health = e.Health.ToString().ToUpperInvariant(),
                    labels = e.Labels,
                    instance = e.Instance,
                    // The endpoint's worst outlier state over this service's clusters (subsets, ports).
                    outlier = mine.SelectMany(c => c.Endpoints).Where(x => x.Address == e.Address && x.Port == e.Port)
                        .OrderByDescending(x => x.Ejected).ThenByDescending(x => x.TotalEjections).Select(OutlierView).FirstOrDefault(),
                }),
                clusters = mine.OrderBy(c => c.Name, StringComparer.Ordinal).Select(ClusterView),
            };
        });

        // Clusters of hosts that are not registered services (ServiceEntry hosts) are listed after them.
        var known = services.Select(s => s.Host).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var others = clusters.Where(c => !known.Contains(c.Host)).GroupBy(c => c.Host, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
        {
            host = g.Key,
            endpoints = Array.Empty<object>(),
            clusters = g.Select(c => c.State).OrderBy(c => c.Name, StringComparer.Ordinal).Select(ClusterView),
        });
        await JsonSerializer.SerializeAsync(context.Response.Body, view.Cast<object>().Concat(others), DumpJson.Options, context.RequestAborted).ConfigureAwait(false);
    }

    private static object ClusterView(ClusterResilienceSnapshot c) => new
    {
        name = c.Name,
        circuitBreakers = new
        {
            maxConnections = Limit(c.Limits.MaxConnections),
            maxPendingRequests = Limit(c.Limits.MaxPendingRequests),
            maxRequests = Limit(c.Limits.MaxRequests),
            maxRetries = Limit(c.Limits.MaxRetries),
        },
        pooledClient = c.Pooled,
        activeRequests = c.ActiveRequests,
        pendingRequests = c.PendingRequests,
        activeRetries = c.ActiveRetries,
        overflows = new { requests = c.RequestOverflows, pending = c.PendingOverflows, retries = c.RetryOverflows },
        outlierDetection = c.Outlier is null ? null : new
        {
            consecutive5xxErrors = c.Outlier.Consecutive5xx,
            consecutiveGatewayErrors = c.Outlier.ConsecutiveGateway,
            consecutiveLocalOriginFailures = c.Outlier.ConsecutiveLocalOrigin,
            splitExternalLocalOriginErrors = c.Outlier.SplitLocalOrigin,
            interval = Seconds(c.Outlier.Interval),
            baseEjectionTime = Seconds(c.Outlier.BaseEjectionTime),
            maxEjectionPercent = c.Outlier.MaxEjectionPercent,
            minHealthPercent = c.Outlier.MinHealthPercent,
        },
        endpoints = c.Endpoints.OrderBy(e => e.Address, StringComparer.Ordinal).ThenBy(e => e.Port).Select(e => new
        {
            address = $"{e.Address}:{e.Port}",
            inFlight = e.InFlight,
            http1InFlight = e.Http1InFlight,
            outlier = OutlierView(e),
            consecutive5xx = e.Consecutive5xx,
            consecutiveGatewayErrors = e.ConsecutiveGateway,
            consecutiveLocalOriginFailures = e.ConsecutiveLocalOrigin,
        }),
    };

    private static object OutlierView(ClusterResilienceEndpointSnapshot e) => new
    {
        ejected = e.Ejected,
        ejectionCount = e.Multiplier,
        totalEjections = e.TotalEjections,
        ejectedAt = e.EjectedAt,
        ejectedUntil = e.EjectedUntil,
        reason = e.Reason,
    };

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";

    private static long? Limit(int value) => value == int.MaxValue ? null : value;

    private Task PrometheusAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        return context.Response.WriteAsync(metrics.Render() + health.Render(), Encoding.UTF8, context.RequestAborted);
    }

    private Task QuitAsync(HttpContext context)
    {
        // Answer first, then stop: the caller (a Job's last step) sees the OK.
        context.Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Text(context, 200, "OK\n");
    }

    private Task LoggingAsync(HttpContext context)
    {
        if (context.Request.Query["level"] is { Count: > 0 } level)
        {
            if (FlagValues.ReadLogLevel(level.ToString(), l => logLevel.Level = l) is { } problem)
            {
                return Text(context, 400, $"level '{level}' {problem}\n");
            }
        }

        return Text(context, 200, $"level: {logLevel.Level.ToString().ToLowerInvariant()}\n");
    }

    private static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }
}
