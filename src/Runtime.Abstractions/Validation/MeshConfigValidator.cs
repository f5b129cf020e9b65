using System.Reflection;
using System.Text.Json;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>
/// MeshConfig rules: access-log formats (every operator must be one the sidecar renders), sampling, extension
/// providers and default providers; every field the mesh accepts but does not apply gets a warning naming it.
/// </summary>
internal sealed class MeshConfigValidator : SpecValidator<MeshConfigSpec>
{
    protected override void Validate(MeshConfigSpec spec, IssueSink issues)
    {
        if (spec.AccessLogFormat is { Length: > 0 } format)
        {
            var json = spec.AccessLogEncoding == AccessLogEncoding.Json;
            var error = json ? Error(AccessLogTemplate.ParseLabels(format, out var e), e) : Error(AccessLogTemplate.Parse(format, out var t), t);
            if (error is not null)
            {
                issues.Error("spec.accessLogFormat", $"accessLogFormat: {error}", $"use only {Supported}");
            }
        }

        PercentRules.ValidateRange("spec.defaultConfig.tracing.sampling", spec.DefaultConfig?.Tracing?.Sampling, issues);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.ExtensionProviders?.Count ?? 0); i++)
        {
            Provider($"spec.extensionProviders[{i}]", spec.ExtensionProviders![i], names, issues);
        }

        DefaultNames("spec.defaultProviders.tracing", spec.DefaultProviders?.Tracing, names, null, issues);
        DefaultNames("spec.defaultProviders.accessLogging", spec.DefaultProviders?.AccessLogging, names, MeshTelemetry.EnvoyProvider, issues);
        DefaultNames("spec.defaultProviders.metrics", spec.DefaultProviders?.Metrics, names, "prometheus", issues);
        NotApplied("spec", spec, issues);
    }

    private const string Supported = "%START_TIME%, %PROTOCOL%, %RESPONSE_CODE%, %RESPONSE_FLAGS%, %BYTES_RECEIVED%, %BYTES_SENT%, %DURATION%, %UPSTREAM_HOST%, %DOWNSTREAM_PEER_URI_SAN%, %UPSTREAM_PEER_URI_SAN% and %REQ(h)% for :METHOD, :PATH, :AUTHORITY, X-FORWARDED-FOR, USER-AGENT, X-REQUEST-ID";

    private static string? Error(object? parsed, string? error) => parsed is null ? error : null;

    private static void Provider(string path, ExtensionProvider provider, HashSet<string> names, IssueSink issues)
    {
        if (string.IsNullOrEmpty(provider.Name))
        {
            issues.Error($"{path}.name", "extension provider name is required", "add name: otel (the name Telemetry providers[].name uses)");
        }
        else if (!names.Add(provider.Name))
        {
            issues.Error($"{path}.name", $"extension provider name '{provider.Name}' is used twice", "give each provider a unique name");
        }

        var kinds = typeof(ExtensionProvider).GetProperties().Where(p => p.Name != nameof(ExtensionProvider.Name) && p.GetValue(provider) is not null).ToList();
        if (kinds.Count != 1)
        {
            issues.Error(path, $"extension provider '{provider.Name}' must set exactly one provider kind but sets {kinds.Count}", "keep one of opentelemetry, envoyFileAccessLog, ...");
        }

        if (provider.Opentelemetry is { } otel)
        {
            if (string.IsNullOrEmpty(otel.Service))
            {
                issues.Error($"{path}.opentelemetry.service", "opentelemetry service is required", "name the collector, e.g. service: otel-collector.observability.svc.cluster.local");
            }

            if (otel.Port is not (> 0 and <= 65535))
            {
                issues.Error($"{path}.opentelemetry.port", otel.Port is null ? "opentelemetry port is required" : $"port {otel.Port} is outside 1..65535", "use the collector's OTLP port, e.g. 4317 (gRPC) or 4318 (HTTP)");
            }

            NotApplied($"{path}.opentelemetry", otel, issues);
            if (otel.Http is not null)
            {
                NotApplied($"{path}.opentelemetry.http", otel.Http, issues);
            }
        }

        if (provider.EnvoyFileAccessLog?.LogFormat is { } logFormat)
        {
            if (logFormat is { Text: not null, Labels: not null })
            {
                issues.Error($"{path}.envoyFileAccessLog.logFormat", "logFormat sets both text and labels", "keep only one of them");
            }

            if (logFormat.Text is { Length: > 0 } text && AccessLogTemplate.Parse(text, out var error) is null)
            {
                issues.Error($"{path}.envoyFileAccessLog.logFormat.text", $"logFormat.text: {error}", $"use only {Supported}");
            }

            if (logFormat.Labels is { } labels && AccessLogTemplate.ParseLabels(labels, out var labelError) is null)
            {
                issues.Error($"{path}.envoyFileAccessLog.logFormat.labels", $"logFormat.labels {labelError}", $"use only {Supported}");
            }
        }

        NotApplied(path, provider, issues);
    }

    private static void DefaultNames(string path, IReadOnlyList<string>? defaults, HashSet<string> names, string? builtIn, IssueSink issues)
    {
        for (var i = 0; i < (defaults?.Count ?? 0); i++)
        {
            if (defaults![i] != builtIn && !names.Contains(defaults[i]))
            {
                issues.Error($"{path}[{i}]", $"default provider '{defaults[i]}' is not an extension provider", names.Count == 0 ? "add it under extensionProviders" : $"use one of {string.Join(", ", names)}");
            }
        }
    }

    /// <summary>A warning for each set field the mesh accepts from Istio but does not apply (the JsonElement-typed ones).</summary>
    private static void NotApplied(string path, object value, IssueSink issues)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // The prometheus provider asks for what every sidecar already serves.
            if (property.PropertyType == typeof(JsonElement?) && property.GetValue(value) is not null && !(value is ExtensionProvider && property.Name == nameof(ExtensionProvider.Prometheus)))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                var field = $"{path}.{name}"["spec.".Length..];
                issues.Warning($"{path}.{name}", $"MeshConfig field '{field}' is accepted but not applied by this mesh", "remove it, or expect no effect");
            }
        }

        if (value is MeshConfigSpec { DefaultConfig: { } defaults })
        {
            NotApplied($"{path}.defaultConfig", defaults, issues);
            if (defaults.Tracing is not null)
            {
                NotApplied($"{path}.defaultConfig.tracing", defaults.Tracing, issues);
            }
        }
    }
}
