using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Telemetry.Expressions;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's Telemetry rules: sampling percentages, provider names, custom tags and reporting intervals.</summary>
internal sealed class TelemetryValidator : SpecValidator<TelemetrySpec>
{
    protected override void Validate(TelemetrySpec spec, IssueSink issues)
    {
        if (spec.Selector is not null && (spec.TargetRef is not null || spec.TargetRefs is { Count: > 0 }))
        {
            issues.Error("spec", "selector and targetRef cannot both be set", "keep only one of them");
        }

        for (var i = 0; i < (spec.Tracing?.Count ?? 0); i++)
        {
            var tracing = spec.Tracing![i];
            PercentRules.ValidateRange($"spec.tracing[{i}].randomSamplingPercentage", tracing.RandomSamplingPercentage, issues);
            Providers($"spec.tracing[{i}].providers", tracing.Providers, issues);
            foreach (var (name, tag) in tracing.CustomTags ?? new Dictionary<string, CustomTag>())
            {
                var sources = (tag.Literal is null ? 0 : 1) + (tag.Environment is null ? 0 : 1) + (tag.Header is null ? 0 : 1);
                var tagPath = Binding.FieldPath.Field($"spec.tracing[{i}].customTags", name);
                if (sources > 1)
                {
                    issues.Error(tagPath, $"custom tag '{name}' must set only one of literal, environment and header", "keep exactly one source");
                }
                else if (sources == 0)
                {
                    // Istio accepts this; the tag is never added.
                    issues.Warning(tagPath, $"custom tag '{name}' sets none of literal, environment and header, so it adds nothing", "add literal: { value: ... }");
                }
            }
        }

        for (var i = 0; i < (spec.Metrics?.Count ?? 0); i++)
        {
            Providers($"spec.metrics[{i}].providers", spec.Metrics![i].Providers, issues);
            DurationRules.Validate($"spec.metrics[{i}].reportingInterval", spec.Metrics[i].ReportingInterval, issues);
            for (var o = 0; o < (spec.Metrics[i].Overrides?.Count ?? 0); o++)
            {
                var match = spec.Metrics[i].Overrides![o].Match;
                if (match is { Metric: not null, CustomMetric: not null })
                {
                    issues.Error($"spec.metrics[{i}].overrides[{o}].match", "match sets both metric and customMetric", "keep only one of them");
                }

                // Metrics overrides (issue 6): disabled is applied, tag changes are not.
                if (spec.Metrics[i].Overrides![o].TagOverrides is { Count: > 0 })
                {
                    issues.Warning($"spec.metrics[{i}].overrides[{o}].tagOverrides", "tagOverrides are accepted but not applied: the sidecar keeps Istio's standard labels", "relabel in Prometheus (metric_relabel_configs) instead");
                }
            }
        }

        for (var i = 0; i < (spec.AccessLogging?.Count ?? 0); i++)
        {
            Providers($"spec.accessLogging[{i}].providers", spec.AccessLogging![i].Providers, issues);
            // Access logs (issue 6): only the filter subset the sidecar evaluates, type-checked here so it never fails per request.
            if (spec.AccessLogging[i].Filter?.Expression is { } expression && !AccessLogExpression.TryParse(expression, out _, out var error))
            {
                issues.Error($"spec.accessLogging[{i}].filter.expression", $"filter expression '{expression}' {error}", "write a supported condition, e.g. response.code >= 400 && request.headers['x-debug'] == 'on'");
            }
        }
    }

    private static void Providers(string path, IReadOnlyList<ProviderRef>? providers, IssueSink issues)
    {
        for (var i = 0; i < (providers?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(providers![i].Name))
            {
                issues.Error($"{path}[{i}].name", "provider name is required", "name a provider from mesh config, for example envoy");
            }
        }
    }
}
