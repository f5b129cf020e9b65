using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// MSH0601: a Telemetry <c>providers[].name</c> that is neither built in (<c>envoy</c> for access logs,
/// <c>prometheus</c> for metrics) nor one of the mesh config's <c>extensionProviders</c>; Istio ignores such a provider,
/// so that entry produces nothing. Checked when the mesh config is known: online, or a mesh config in the files.
/// </summary>
internal sealed class TelemetryProviderCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        if (!context.IsComplete && context.MeshConfigs.Count == 0)
        {
            return;
        }

        var defined = context.MeshConfigs.SelectMany(m => m.Spec.ExtensionProviders ?? []).Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var telemetry in context.Telemetries)
        {
            var spec = telemetry.Spec;
            Check(telemetry, findings, defined, "tracing", spec.Tracing?.Select(t => t.Providers), null);
            Check(telemetry, findings, defined, "metrics", spec.Metrics?.Select(m => m.Providers), "prometheus");
            Check(telemetry, findings, defined, "accessLogging", spec.AccessLogging?.Select(a => a.Providers), MeshTelemetry.EnvoyProvider);
        }
    }

    private static void Check(AnalyzedResource<TelemetrySpec> telemetry, FindingSink findings, HashSet<string> defined, string section, IEnumerable<IReadOnlyList<ProviderRef>?>? entries, string? builtIn)
    {
        foreach (var (providers, i) in (entries ?? []).Select((p, i) => (p, i)))
        {
            foreach (var (provider, p) in (providers ?? []).Select((r, p) => (r, p)))
            {
                if (provider.Name is not { Length: > 0 } name || name == builtIn || defined.Contains(name))
                {
                    continue;
                }

                var known = builtIn is null ? defined : defined.Append(builtIn);
                var closest = Suggestions.Closest(name, known);
                findings.Report(telemetry, AnalysisCodes.TelemetryProviderNotFound, $"spec.{section}[{i}].providers[{p}].name",
                    $"provider '{name}' is not defined in mesh config extensionProviders{(closest is null ? "" : $"; did you mean '{closest}'?")}, so this {section} entry has no effect",
                    closest is null ? $"add an extension provider named '{name}' to mesh config, or name one of: {(known.Any() ? string.Join(", ", known) : "none defined")}" : $"name: {closest}");
            }
        }
    }
}
